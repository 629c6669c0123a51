namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// One entry of the account audit log. Dynatrace documents <c>authenticationToken</c> without saying which id form it
/// holds (UNCONFIRMED); the sandbox writes the token's <c>dt0s16.PUBLIC</c> id.
/// </summary>
public sealed record SandboxAuditEntry(DateTimeOffset Timestamp, string AuthenticationToken, string OriginAddress, string EventType, string Resource);
