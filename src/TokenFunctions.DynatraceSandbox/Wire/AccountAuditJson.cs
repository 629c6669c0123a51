namespace TokenFunctions.DynatraceSandbox.Wire;

/// <summary><c>AuditsByAccountDto</c>: <c>audits</c> and <c>warnings</c>.</summary>
internal sealed record AccountAuditsJson(IReadOnlyList<AccountAuditJson> Audits, IReadOnlyList<string> Warnings);

/// <summary>One audit entry, with the fields reference §10 lists (the token fields' content is UNCONFIRMED).</summary>
internal sealed record AccountAuditJson(
    string EventId,
    string Timestamp,
    string EventType,
    string EventOutcome,
    string Resource,
    string AuthenticationToken,
    string AuthenticationType,
    string OriginAddress);
