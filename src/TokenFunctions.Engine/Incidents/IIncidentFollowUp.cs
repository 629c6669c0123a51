using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Housekeeping after a <c>disable</c> message finished with every listed token <c>Disabled</c> or <c>AlreadyDisabled</c>
/// (never for a dry run, a token needing a human, or one settled otherwise), e.g. resolving the GitHub alert a webhook
/// handed off. Runs once, after the completion is saved; a duplicate or redelivered message does not run it again.
/// Implementations live with the capability that knows the producer (the sources), so the queue does not depend on it.
/// Whatever a follow-up throws is logged and swallowed: the message completes regardless.
/// </summary>
public interface IIncidentFollowUp
{
    /// <param name="message">The valid, finished message (ids and context only, no secret unless the producer sent full tokens).</param>
    /// <param name="disabled">Every token id of the message, each finished as disabled.</param>
    Task RunAsync(DisableMessage message, IReadOnlyList<TokenId> disabled, CancellationToken cancellationToken);
}
