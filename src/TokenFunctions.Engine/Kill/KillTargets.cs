using System.Collections.Concurrent;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// The targets one batch works with, built once for the batch rather than once per token: each kind's configured
/// targets, and the classic inventory when the batch is large enough to list every environment first.
/// </summary>
internal sealed class KillTargets(IDynatraceDirectory directory)
{
    private readonly ConcurrentDictionary<TokenKind, IReadOnlyList<ITokenTarget>> _byKind = new();

    /// <summary>Set before the batch's tokens are worked on, never during.</summary>
    public ClassicInventory Inventory { get; set; } = ClassicInventory.Empty;

    public IReadOnlyList<ITokenTarget> For(TokenKind kind) => _byKind.GetOrAdd(kind, directory.TargetsFor);
}
