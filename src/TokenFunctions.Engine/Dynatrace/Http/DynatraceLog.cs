using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>Every Dynatrace log line: token ids, names, statuses and redacted messages only, never a secret.</summary>
internal static partial class DynatraceLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Dynatrace {Method} {Path}: {Failure}; retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string path, string failure, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Dynatrace {Target}: {Operation} {TokenId} -> {Status}")]
    public static partial void Completed(ILogger logger, string target, string operation, string tokenId, DynatraceStatus status);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Dynatrace {Target}: {Operation} {TokenId} -> {Status}: {Error}")]
    public static partial void Failed(ILogger logger, string target, string operation, string tokenId, DynatraceStatus status, string error);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Dynatrace {Target}: {Operation} {TokenId} hit our own credential; retrying with the secondary credential")]
    public static partial void UsingSecondary(ILogger logger, string target, string operation, string tokenId);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "Dynatrace {Target}: {Operation} {TokenId} targets our own primary credential; sending it with the secondary credential only")]
    public static partial void SecondaryFirst(ILogger logger, string target, string operation, string tokenId);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Dynatrace account {Account}: fetched an OAuth bearer for client {ClientId}, valid {Lifetime}")]
    public static partial void BearerFetched(ILogger logger, string account, string clientId, TimeSpan lifetime);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Dynatrace {Target}: credential {Reference} was refused (401); re-reading it once")]
    public static partial void CredentialRefused(ILogger logger, string target, string reference);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Debug, Message = "Dynatrace {Target}: skipped {Count} token(s) whose id is not in the dt0 format")]
    public static partial void SkippedUnparseable(ILogger logger, string target, int count);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Error, Message = "Dynatrace account {Account}: the SSO refused scope(s) {Scopes} for OAuth client {ClientId} (invalid_scope); every platform-token action fails until the client is granted them or Dynatrace:Accounts:N:Scopes is changed")]
    public static partial void ScopeRejected(ILogger logger, string account, string scopes, string clientId);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Dynatrace account {Account}: scope family {From} did not work ({Why}); asking for {To} instead")]
    public static partial void ScopeFamilySwitched(ILogger logger, string account, string from, string to, string why);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "Dynatrace account {Account}: readings met: {Readings}")]
    public static partial void ReadingsLearned(ILogger logger, string account, string readings);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Warning, Message = "Dynatrace account {Account}: platform token {TokenId} answered 404 under its dt0s16 id; the server's id form is {IdForm}, so it is looked up by searchTerm")]
    public static partial void AddressUnknown(ILogger logger, string account, string tokenId, PlatformIdForm idForm);
}
