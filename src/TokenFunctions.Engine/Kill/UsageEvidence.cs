using System.Globalization;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// When and from where a leaked token was last used, and what the account audit log recorded it doing since the leak:
/// the question every incident asks next ("was it used?"). Classic: <c>lastUsedDate</c>/<c>lastUsedIpAddress</c> from the
/// lookup the kill already made. Platform: <c>metadata.lastUsedAt</c> with <c>lastClientId</c> (the docs) or
/// <c>lastClientIp</c> (the published OpenAPI), and, where configured, account audit entries made with the token
/// (UNCONFIRMED: which id form <c>authenticationToken</c> holds, so both are matched). Never a secret.
/// </summary>
public sealed record UsageEvidence
{
    /// <summary>When the leak was first seen (the source's time, else when the kill heard of it).</summary>
    public required DateTimeOffset Since { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>Client id or IP address of the last use, as Dynatrace reported it.</summary>
    public string? LastUsedFrom { get; init => field = Redaction.Redact(value); }

    /// <summary>The field Dynatrace named it in: <c>lastUsedIpAddress</c>, <c>lastClientId</c> or <c>lastClientIp</c>.</summary>
    public string? LastUsedFromField { get; init; }

    /// <summary>Account audit entries made with the token since <see cref="Since"/>; null when the log was not read.</summary>
    public IReadOnlyList<AccountAuditEntry>? AuditEntries { get; init; }

    /// <summary>What could not be read, and why (already redacted).</summary>
    public string? Unavailable { get; init => field = Redaction.Redact(value); }

    /// <summary>True when Dynatrace reports a use at or after the leak.</summary>
    public bool UsedSinceLeak => LastUsedAt >= Since || AuditEntries is { Count: > 0 };

    /// <summary>One paragraph for the audit record and the notification.</summary>
    public string Summary()
    {
        var parts = new List<string>
        {
            LastUsedAt is { } at
                ? $"Last used {Format(at)}{(LastUsedFrom is null ? string.Empty : $" from {LastUsedFrom} ({LastUsedFromField})")}"
                    + (at >= Since ? $", AFTER the leak was seen ({Format(Since)})." : $", before the leak was seen ({Format(Since)}).")
                : "Dynatrace reports no last use.",
        };
        if (AuditEntries is { } entries)
        {
            parts.Add(entries.Count == 0
                ? $"The account audit log shows no entry made with it since {Format(Since)}."
                : $"The account audit log shows {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} made with it since {Format(Since)}: "
                    + string.Join("; ", entries.Take(5).Select(e => $"{(e.Timestamp is { } t ? Format(t) : "?")} {e.EventType} {e.Resource} from {e.OriginAddress ?? "?"}"))
                    + (entries.Count > 5 ? $"; and {entries.Count - 5} more." : "."));
        }

        if (Unavailable is not null)
        {
            parts.Add(Unavailable);
        }

        return Redaction.Redact(string.Join(" ", parts))!;
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
