using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Incidents;

/// <summary>Every log line of the incident queue. Arguments are ids, counts and redacted text, never a body or a secret.</summary>
internal static partial class IncidentLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Incident message {MessageId} (delivery {DeliveryCount}) refused: {Reason}: {Description}")]
    public static partial void Refused(ILogger logger, string messageId, int deliveryCount, string reason, string description);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Incident {IncidentId} work {WorkId}: message {MessageId} duplicates {State} work; completed without acting")]
    public static partial void Duplicate(ILogger logger, string incidentId, string workId, string messageId, string state);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Incident {IncidentId} work {WorkId} ({Type}, message {MessageId}, delivery {DeliveryCount}): {Settlement}; succeeded {Succeeded}, settled {Settled}, needs human {NeedsHuman}, failing {Failing}")]
    public static partial void Settled(ILogger logger, string incidentId, string workId, string type, string messageId, int deliveryCount, string settlement, long succeeded, long settled, long needsHuman, int failing);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Incident {IncidentId}: token {TokenId} needs a human: {Outcome} (owner {Owner}): {Detail}")]
    public static partial void NeedsHuman(ILogger logger, string incidentId, string tokenId, string outcome, string? owner, string? detail);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Incident {IncidentId}: token {TokenId} failed transiently (owner {Owner}): {Detail}")]
    public static partial void Failing(ILogger logger, string incidentId, string tokenId, string? owner, string? detail);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Incident {IncidentId}: the kill returned no outcome for token {TokenId}; it will be retried")]
    public static partial void MissingOutcome(ILogger logger, string incidentId, string tokenId);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Incident {IncidentId}: listing tokens of {Source} failed: {Status}: {Error}")]
    public static partial void ListingFailed(ILogger logger, string incidentId, string source, string status, string? error);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Incident {IncidentId}: the kill-switch selector matched no token (owner and scope are case-sensitive)")]
    public static partial void NothingMatched(ILogger logger, string incidentId);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "Incident message {MessageId} (delivery {DeliveryCount}) failed unexpectedly: {ExceptionType}: {Error}")]
    public static partial void Unexpected(ILogger logger, string messageId, int deliveryCount, string exceptionType, string? error);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Information, Message = "Incident {IncidentId}: dry run, would {Action} {TokenIds}")]
    public static partial void DryRun(ILogger logger, string incidentId, string action, string tokenIds);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Incident {IncidentId} work {WorkId}: message {MessageId} lost its lease to another delivery; stopping")]
    public static partial void LeaseLost(ILogger logger, string incidentId, string workId, string messageId);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Incident {IncidentId}: listing of {Source} restarts from the first page (Dynatrace no longer accepts the saved page key)")]
    public static partial void ListingRestarted(ILogger logger, string incidentId, string source);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "Incident {IncidentId}: token {TokenId} {Outcome} (owner {Owner})")]
    public static partial void TokenDone(ILogger logger, string incidentId, string tokenId, string outcome, string? owner);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "Incident {IncidentId}: follow-up {FollowUp} failed ({ExceptionType}: {Error}); the message completes regardless")]
    public static partial void FollowUpFailed(ILogger logger, string incidentId, string followUp, string exceptionType, string? error);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Warning, Message = "Incident {IncidentId}: follow-up {FollowUp} not done on delivery {DeliveryCount} ({Reason}); the message is left to a redelivery")]
    public static partial void FollowUpPending(ILogger logger, string incidentId, string followUp, int deliveryCount, string? reason);

    [LoggerMessage(EventId = 4116, Level = LogLevel.Information, Message = "Incident {IncidentId}: message {MessageId} continued by {ContinuationId} at {At:O} (retry attempt {Attempt}): {Why}")]
    public static partial void Continued(ILogger logger, string incidentId, string messageId, string continuationId, DateTimeOffset at, int attempt, string why);

    [LoggerMessage(EventId = 4117, Level = LogLevel.Warning, Message = "Incident {IncidentId}: the continuation of message {MessageId} could not be queued ({ExceptionType}); abandoning it for a redelivery")]
    public static partial void ContinuationFailed(ILogger logger, string incidentId, string messageId, string exceptionType);
}
