using System.Collections.Concurrent;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>The one <see cref="ILeakRotation"/> fake: records every call; by default no token is managed (no replacement).</summary>
public sealed class FakeLeakRotation : ILeakRotation
{
    public ConcurrentQueue<TokenOutcome> Calls { get; } = new();

    /// <summary>Ids that are managed credentials and get a replacement.</summary>
    public HashSet<string> Managed { get; } = [];

    public Exception? Failure { get; set; }

    /// <summary>Key Vault is unavailable: every replacement is postponed.</summary>
    public bool Postpone { get; set; }

    /// <summary>The tf-notify contact the managed credentials carry.</summary>
    public string? Notify { get; set; }

    public Task<LeakReplacement?> ReplaceLeakedAsync(TokenOutcome disabled, string correlationId, CancellationToken cancellationToken)
    {
        Calls.Enqueue(disabled);
        if (Failure is { } failure)
        {
            throw failure;
        }

        if (Postpone)
        {
            return Task.FromResult<LeakReplacement?>(LeakReplacement.Postponed);
        }

        return Task.FromResult(Managed.Contains(disabled.TokenId.Value)
            ? new LeakReplacement($"https://vault.example.invalid/secrets/{disabled.TokenId.PublicPart}", Notify)
            : null);
    }
}
