using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary><c>AuditsByAccountDto</c> (published OpenAPI): <c>audits</c> and <c>warnings</c>.</summary>
internal sealed record AccountAuditsDto(IReadOnlyList<AccountAuditDto>? Audits);

/// <summary>The fields reference §10 lists; any may be missing.</summary>
internal sealed record AccountAuditDto(
    [property: JsonConverter(typeof(FlexibleDateTimeOffsetConverter))] DateTimeOffset? Timestamp,
    string? EventType,
    string? EventOutcome,
    string? Resource,
    string? AuthenticationToken,
    string? AuthenticationClientId,
    string? OriginAddress);
