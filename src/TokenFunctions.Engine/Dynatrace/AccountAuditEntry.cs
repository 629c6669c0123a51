namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// One entry of the account audit log (<c>GET /audit/v1/accounts/{uuid}</c>, reference §10). Which id form
/// <see cref="AuthenticationToken"/> holds for a platform token is UNCONFIRMED; callers match both.
/// </summary>
public sealed record AccountAuditEntry
{
    public DateTimeOffset? Timestamp { get; init; }

    public string? EventType { get; init; }

    public string? EventOutcome { get; init; }

    public string? Resource { get; init; }

    public string? AuthenticationToken { get; init; }

    public string? AuthenticationClientId { get; init; }

    public string? OriginAddress { get; init; }
}
