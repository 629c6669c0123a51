using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="ICredentialProvider"/> fake. Answers from <c>values</c> (keyed by <see cref="CredentialReference.Value"/>)
/// or, when set, from <see cref="Resolve"/> (e.g. the test's Key Vault); a reference with no answer fails with "vault
/// unavailable". <see cref="Failure"/> makes calls throw. With <see cref="Caching"/> it keeps the first answer per
/// Key Vault secret until told through <see cref="ISecretRotationListener"/>, as a production provider does.
/// </summary>
public sealed class FakeCredentialProvider(IReadOnlyDictionary<string, string>? values = null) : ICredentialProvider, ISecretRotationListener
{
    private readonly Dictionary<string, string?> _cache = [];
    private int _calls;

    /// <summary>When set, answers every reference instead of the dictionary (null: no answer).</summary>
    public Func<CredentialReference, string?>? Resolve { get; init; }

    /// <summary>Asked on every call; a non-null answer is thrown (e.g. a <c>ManagementCredentialUnavailableException</c>).</summary>
    public Func<CredentialReference, Exception?>? Failure { get; set; }

    /// <summary>Keep each Key Vault secret's first answer until <see cref="SecretChangedAsync"/> names it.</summary>
    public bool Caching { get; init; }

    /// <summary>How many times <see cref="GetAsync"/> was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The secret names rotation said changed, in order.</summary>
    public List<string> Invalidated { get; } = [];

    public ValueTask<string> GetAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Failure?.Invoke(reference) is { } failure)
        {
            throw failure;
        }

        return Read(reference) is { } value
            ? ValueTask.FromResult(value)
            : ValueTask.FromException<string>(new InvalidOperationException("vault unavailable"));
    }

    /// <summary>The answer for <paramref name="reference"/> (cached when <see cref="Caching"/>), without counting a call.</summary>
    public string? Read(CredentialReference reference)
    {
        if (!Caching)
        {
            return Answer(reference);
        }

        var name = reference.KeyVaultSecretName!;
        lock (_cache)
        {
            if (!_cache.TryGetValue(name, out var value))
            {
                value = Answer(reference);
                _cache[name] = value;
            }

            return value;
        }
    }

    public ValueTask SecretChangedAsync(string secretName, CancellationToken cancellationToken)
    {
        lock (_cache)
        {
            _cache.Remove(secretName);
            Invalidated.Add(secretName);
        }

        return ValueTask.CompletedTask;
    }

    private string? Answer(CredentialReference reference) => Resolve is { } resolve
        ? resolve(reference)
        : values?.GetValueOrDefault(reference.Value ?? string.Empty);
}
