using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>Disables leaked tokens in whichever environment or account owns them.</summary>
public interface IKillSwitch
{
    /// <summary>One outcome per distinct token; a token reported twice in the batch is acted on once.</summary>
    Task<KillSwitchResult> DisableAsync(KillSwitchRequest request, CancellationToken cancellationToken);

    /// <summary>Undo a false positive: re-enable a token. Audited like every other decision.</summary>
    Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken);
}
