using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.UnitTests.Kill;

/// <summary>Resolves credential references from a dictionary keyed by <see cref="CredentialReference.Value"/>.</summary>
internal sealed class FakeCredentialProvider(IReadOnlyDictionary<string, string> values) : ICredentialProvider
{
    public int Calls;

    public ValueTask<string> GetAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return values.TryGetValue(reference.Value ?? string.Empty, out var value)
            ? ValueTask.FromResult(value)
            : ValueTask.FromException<string>(new InvalidOperationException("vault unavailable"));
    }
}
