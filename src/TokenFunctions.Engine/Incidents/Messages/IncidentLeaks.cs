using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>Builds the kill's <see cref="Leak"/>s from a queue message; free text is redacted here, at the boundary.</summary>
internal static class IncidentLeaks
{
    public const string DefaultSource = "queue";

    /// <summary>One leak per token id; a full token wins over a bare id, so the kill can look it up by secret.</summary>
    public static IReadOnlyList<Leak> FromDisable(DisableMessage message, DateTimeOffset enqueuedTime)
    {
        var byId = new Dictionary<TokenId, Leak>();
        var order = new List<TokenId>();
        foreach (var entry in message.Tokens)
        {
            Leak leak;
            if (TokenSecret.TryParse(entry, out var secret))
            {
                leak = Create(message, secret.Id, secret, message.Environment, enqueuedTime) with { Location = Redaction.Redact(message.Location) };
            }
            else if (TokenId.TryParse(entry, out var id))
            {
                leak = Create(message, id, null, message.Environment, enqueuedTime) with { Location = Redaction.Redact(message.Location) };
            }
            else
            {
                continue; // The validator refused such messages already.
            }

            if (!byId.TryGetValue(leak.TokenId, out var existing))
            {
                order.Add(leak.TokenId);
                byId[leak.TokenId] = leak;
            }
            else if (existing.Secret is null && leak.Secret is not null)
            {
                byId[leak.TokenId] = leak;
            }
        }

        return [.. order.Select(id => byId[id])];
    }

    public static Leak Create(IncidentMessage message, TokenId id, TokenSecret? secret, string? ownerHint, DateTimeOffset enqueuedTime) => new()
    {
        TokenId = id,
        Secret = secret,
        Source = message.Source ?? DefaultSource,
        Reason = Redaction.Redact(message.Reason) ?? (message is KillSwitchMessage ? "kill-switch" : "leaked"),
        CorrelationId = message.IncidentId,
        OwnerHint = ownerHint,
        DetectedAt = message.DetectedAt ?? enqueuedTime,
        RequestedBy = message.RequestedBy,
    };
}
