using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// Produces the queue body and Service Bus metadata for an <see cref="IncidentMessage"/>: the webhook hand-off, the
/// Logic Apps examples and the processor all share this one contract.
/// </summary>
public sealed class IncidentMessageSerializer
{
    public const string ContentType = "application/json";

    private readonly IOptionsMonitor<IncidentsOptions> _options;

    public IncidentMessageSerializer(IOptionsMonitor<IncidentsOptions> options) => _options = options;

    /// <summary>Validates (a producer building an invalid message is a bug) and serializes.</summary>
    /// <exception cref="ArgumentException">The message breaks the contract; the message text is secret-free.</exception>
    public OutgoingIncidentMessage Serialize(IncidentMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IncidentMessageValidator.Validate(message, _options.CurrentValue.MaxTokensPerMessage) is { } error)
        {
            throw new ArgumentException($"Invalid incident message ({error.Reason}): {error.Description}", nameof(message));
        }

        var body = ToJson(message);
        var type = TypeName(message);
        return new OutgoingIncidentMessage(
            body,
            MessageIdFor(message.IncidentId, body),
            type,
            ContentType,
            message.IncidentId,
            new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["incidentId"] = message.IncidentId,
                ["type"] = type,
                ["version"] = message.Version,
                ["dryRun"] = message.DryRun,
            });
    }

    /// <summary>The canonical body: the same message always serializes to the same bytes.</summary>
    public static byte[] ToJson(IncidentMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, IncidentJsonContext.Default.IncidentMessage);

    /// <summary>
    /// Hex SHA-256 of the canonical body, shortened to 128 bits. The processor derives it again after parsing, so a
    /// Logic Apps body with another property order or spacing is still the same work.
    /// </summary>
    public static string WorkIdOf(IncidentMessage message) => Hash(ToJson(message));

    /// <summary>
    /// <c>{incidentId}:{workId}</c> when the incident id is short printable ASCII, otherwise a hash of both. Service Bus
    /// message ids are at most 128 characters.
    /// </summary>
    public static string MessageIdFor(string incidentId, ReadOnlySpan<byte> body)
    {
        var workId = Hash(body);
        if (incidentId.Length <= 80 && incidentId.All(c => c is >= '!' and <= '~'))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{incidentId}:{workId}");
        }

        return "incident-" + Hash(Encoding.UTF8.GetBytes(incidentId)) + ":" + workId;
    }

    public static string TypeName(IncidentMessage message) => message switch
    {
        DisableMessage => "disable",
        RotateMessage => "rotate",
        KillSwitchMessage => "kill-switch",
        EnableMessage => "enable",
        _ => throw new ArgumentOutOfRangeException(nameof(message), "Unknown incident message type."),
    };

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
}
