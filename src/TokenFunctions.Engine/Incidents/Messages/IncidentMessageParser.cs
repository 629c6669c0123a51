using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// Turns a queue body into a validated <see cref="IncidentMessage"/> or a dead-letter reason. Checks run from the outside
/// in (size, JSON, object, version, type, properties, values) so the reason names the first thing a producer must fix.
/// No description ever contains body text: positions, field names from the contract and token ids only.
/// </summary>
public sealed class IncidentMessageParser
{
    public const int MaxDepth = 16;

    public const string ContractSummary = "disable, rotate, kill-switch, enable";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    private static readonly Dictionary<string, JsonTypeInfo> TypeInfos = new(StringComparer.Ordinal)
    {
        ["disable"] = IncidentJsonContext.Default.DisableMessage,
        ["rotate"] = IncidentJsonContext.Default.RotateMessage,
        ["kill-switch"] = IncidentJsonContext.Default.KillSwitchMessage,
        ["enable"] = IncidentJsonContext.Default.EnableMessage,
    };

    private static readonly Dictionary<string, string[]> RequiredByType = new(StringComparer.Ordinal)
    {
        ["disable"] = ["incidentId", "tokens"],
        ["rotate"] = ["incidentId", "tokenIds"],
        ["kill-switch"] = ["incidentId", "selector"],
        ["enable"] = ["incidentId", "tokenIds"],
    };

    private static readonly HashSet<string> SelectorProperties = PropertyNames(IncidentJsonContext.Default.GetTypeInfo(typeof(KillSwitchSelector))!);

    private readonly IOptionsMonitor<IncidentsOptions> _options;

    public IncidentMessageParser(IOptionsMonitor<IncidentsOptions> options) => _options = options;

    public IncidentParseResult Parse(ReadOnlyMemory<byte> body)
    {
        var options = _options.CurrentValue;
        if (body.Length > options.MaxMessageBytes)
        {
            return IncidentParseResult.Invalid(DeadLetterReasons.MessageTooLarge, string.Create(
                CultureInfo.InvariantCulture,
                $"The body is {body.Length:N0} bytes; at most {options.MaxMessageBytes:N0} are accepted (Incidents:MaxMessageBytes). Split the tokens over several messages with the same incidentId."));
        }

        // Tools that write files on Windows prepend a UTF-8 byte order mark; JSON forbids it, Logic Apps users cannot see it.
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return IncidentParseResult.Invalid(DeadLetterReasons.InvalidJson, "The body is empty; send a JSON object with version, type and incidentId.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return IncidentParseResult.Invalid(DeadLetterReasons.InvalidJson, string.Create(
                CultureInfo.InvariantCulture,
                $"The body is not valid UTF-8 JSON (or repeats a property, or nests deeper than {MaxDepth} levels) near line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}."));
        }

        using (document)
        {
            return Parse(document.RootElement, options);
        }
    }

    private static IncidentParseResult Parse(JsonElement root, IncidentsOptions options) =>
        ReadEnvelope(root, out var type) ?? CheckProperties(root, type) ?? Deserialize(root, options);

    /// <summary>The outside of the message: a JSON object, this deployment's version, a known type. Null when all hold.</summary>
    private static IncidentParseResult? ReadEnvelope(JsonElement root, out string type)
    {
        type = string.Empty;
        if (root.ValueKind == JsonValueKind.String)
        {
            return Violation("The body is a JSON string, not an object: it was serialized twice. Send the object itself (in Logic Apps, put the JSON object in Content without string()).");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Violation("The body must be a JSON object with version, type and incidentId.");
        }

        if (!root.TryGetProperty("version", out var version))
        {
            return Violation(string.Create(CultureInfo.InvariantCulture, $"version is required; this deployment reads \"version\": {IncidentMessage.CurrentVersion}."));
        }

        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var versionNumber))
        {
            return Violation("version must be a whole number such as 1.");
        }

        if (versionNumber != IncidentMessage.CurrentVersion)
        {
            return IncidentParseResult.Invalid(DeadLetterReasons.UnsupportedVersion, IncidentMessageValidator.VersionText(versionNumber));
        }

        if (!root.TryGetProperty("type", out var typeElement))
        {
            return Violation($"type is required: one of {ContractSummary}.");
        }

        if (typeElement.ValueKind != JsonValueKind.String)
        {
            return Violation($"type must be a string: one of {ContractSummary}.");
        }

        type = typeElement.GetString()!;
        if (!TypeInfos.ContainsKey(type))
        {
            return IncidentParseResult.Invalid(DeadLetterReasons.UnknownType, IsPlainWord(type)
                ? $"type \"{type}\" is not one of {ContractSummary} (lower case)."
                : $"type is not one of {ContractSummary}.");
        }

        return null;
    }

    /// <summary>No property the type does not define (in the selector too), every one it requires. Null when all hold.</summary>
    private static IncidentParseResult? CheckProperties(JsonElement root, string type)
    {
        var known = PropertyNames(TypeInfos[type]);
        known.Add("type");
        if (UnknownProperty(root, known, "") is { } unknown)
        {
            return Violation(unknown);
        }

        foreach (var required in RequiredByType[type])
        {
            if (!root.TryGetProperty(required, out _))
            {
                return Violation($"{required} is required for type \"{type}\".");
            }
        }

        if (type == "kill-switch" && root.TryGetProperty("selector", out var selector) && selector.ValueKind == JsonValueKind.Object
            && UnknownProperty(selector, SelectorProperties, "selector.") is { } unknownInSelector)
        {
            return Violation(unknownInSelector);
        }

        return null;
    }

    /// <summary>The message itself, then the checks of its values.</summary>
    private static IncidentParseResult Deserialize(JsonElement root, IncidentsOptions options)
    {
        IncidentMessage? message;
        try
        {
            message = root.Deserialize(IncidentJsonContext.Default.IncidentMessage);
        }
        catch (JsonException ex)
        {
            return Violation($"{SafePath(ex.Path)} has the wrong JSON type or a null where a value is required.");
        }

        if (message is null)
        {
            return Violation("The body must be a JSON object with version, type and incidentId.");
        }

        return IncidentMessageValidator.Validate(message, options.MaxTokensPerMessage) is { } error
            ? IncidentParseResult.Invalid(error)
            : IncidentParseResult.Valid(message);
    }

    private static string? UnknownProperty(JsonElement element, HashSet<string> known, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (known.Contains(property.Name))
            {
                continue;
            }

            var match = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return $"{prefix}{match} must be spelt exactly \"{match}\" (property names are camelCase and case-sensitive).";
            }

            return IsPlainWord(property.Name)
                ? $"\"{prefix}{property.Name}\" is not part of the contract (properties: {string.Join(", ", known.Order(StringComparer.Ordinal))})."
                : $"The message has a property that is not part of the contract (properties: {string.Join(", ", known.Order(StringComparer.Ordinal))}).";
        }

        return null;
    }

    private static HashSet<string> PropertyNames(JsonTypeInfo typeInfo) =>
        new(typeInfo.Properties.Select(p => p.Name), StringComparer.Ordinal);

    /// <summary>Producer-chosen text is repeated only when it cannot be a secret: a short word of letters, digits and dashes.</summary>
    private static bool IsPlainWord(string value) =>
        value.Length is > 0 and <= 40 && !value.Contains("dt0", StringComparison.OrdinalIgnoreCase)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string SafePath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "A value";
        }

        var safe = path.Length <= 100 && !path.Contains("dt0", StringComparison.OrdinalIgnoreCase)
            && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '.' or '[' or ']' or '_' or '-');
        return safe ? path : "A value";
    }

    private static IncidentParseResult Violation(string description) => IncidentParseResult.Invalid(DeadLetterReasons.SchemaViolation, description);
}
