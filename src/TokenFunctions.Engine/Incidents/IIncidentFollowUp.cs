using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Housekeeping after a <c>disable</c> message finished with every listed token <c>Disabled</c> or <c>AlreadyDisabled</c>
/// (never for a dry run, a token needing a human, or one settled otherwise), e.g. resolving the GitHub alert a webhook
/// handed off. Runs before the completion is saved, so it happens at least once: a follow-up answering
/// <see cref="FollowUpResult.Retry"/> (or a crash before the save) leaves the message to a redelivery, which skips the
/// finished tokens and runs the follow-ups again; on the last allowed delivery the message is dead-lettered with the
/// reason. Follow-ups must therefore be idempotent. Once the completion is saved, a duplicate or redelivered message
/// does not run them again. Implementations live with the capability that knows the producer (the sources), so the
/// queue does not depend on it. An exception is a bug: it is logged and swallowed, and the message completes regardless.
/// </summary>
public interface IIncidentFollowUp
{
    /// <param name="message">The valid, finished message (ids and context only, no secret unless the producer sent full tokens).</param>
    /// <param name="disabled">Every token id of the message, each finished as disabled.</param>
    Task<FollowUpResult> RunAsync(DisableMessage message, IReadOnlyList<TokenId> disabled, CancellationToken cancellationToken);
}
