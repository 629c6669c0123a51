using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>Disables leaked tokens in whichever environment or account owns them.</summary>
public interface IKillService
{
    /// <summary>
    /// One outcome per distinct token, in order of first appearance; a token reported twice in the batch is acted on once.
    /// When <paramref name="cancellationToken"/> fires (a caller's deadline), what was decided stands and every unfinished
    /// token comes back as a retryable <see cref="TokenOutcomeKind.Interrupted"/>: it does not throw, so nothing decided is lost.
    /// </summary>
    Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken);

    /// <summary>Undo a false positive: re-enable a token. Audited like every other decision.</summary>
    Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken);
}
