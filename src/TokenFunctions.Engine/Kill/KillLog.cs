using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>The kill's log events. Only token ids, fingerprints and already-redacted details are logged.</summary>
internal static partial class KillLog
{
    [LoggerMessage(EventId = 4100, Message = "Kill {Action} {TokenId}: {Outcome} (owner {Owner}, sha256 {Fingerprint}, {LatencyMs} ms, source {Source}, correlation {CorrelationId}, dry run {DryRun}). {Detail}")]
    public static partial void Decided(
        ILogger logger, LogLevel level, string action, TokenId tokenId, TokenOutcomeKind outcome, string? owner, string? fingerprint,
        long latencyMs, string source, string correlationId, bool dryRun, string? detail);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Asking {Owner} about a token failed unexpectedly; treated as a transient failure.")]
    public static partial void AskFailed(ILogger logger, string owner, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Owner hint {OwnerHint} for {TokenId} names no configured {OwnerKind}; asking all of them.")]
    public static partial void UnknownOwnerHint(ILogger logger, TokenId tokenId, string ownerHint, string ownerKind);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Replacing leaked credential {TokenId} after disabling it failed; the token stays disabled.")]
    public static partial void RotationFailed(ILogger logger, TokenId tokenId, Exception exception);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Leaked managed credential {TokenId} replaced; new secret at {Location}.")]
    public static partial void Rotated(ILogger logger, TokenId tokenId, string location);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Listed {Count} classic tokens in {Environment} for a large batch.")]
    public static partial void InventoryLoaded(ILogger logger, string environment, int count);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Listing tokens of {Environment} stopped after {Count}: {Error}. Tokens not listed are resolved one by one.")]
    public static partial void InventoryIncomplete(ILogger logger, string environment, int count, string error);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Could not resolve own credential {Credential} to protect it from the kill.")]
    public static partial void OwnCredentialUnresolved(ILogger logger, string credential, Exception exception);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Error, Message = "Kill failed unexpectedly on {TokenId}; reported as Failed so it is retried.")]
    public static partial void Unexpected(ILogger logger, TokenId tokenId, Exception exception);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Leak of {TokenId} carried a secret of another token ({SecretId}); the secret is ignored.")]
    public static partial void MismatchedSecret(ILogger logger, TokenId tokenId, TokenId secretId);
}
