using System.Net;
using System.Text;
using System.Text.Json;
using TokenFunctions.Engine.Dynatrace.Wire;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// Turns an unsuccessful answer into a <see cref="DynatraceError"/>: the <c>ErrorEnvelope</c> when there is one, the OAuth
/// error shape from the SSO, a short plain-text excerpt, or the status's reason phrase for the documented empty 404s.
/// Every text passes through <see cref="Redaction.Redact"/>.
/// </summary>
internal static class ErrorEnvelopeParser
{
    private const int MaxMessageLength = 500;

    public static DynatraceError Parse(int status, ReadOnlySpan<byte> body)
    {
        var envelope = DynatraceJson.TryDeserialize(body, DynatraceJsonContext.Default.ErrorEnvelopeDto);
        if (envelope?.Error is { ValueKind: JsonValueKind.Object } errorElement
            && errorElement.Deserialize(DynatraceJsonContext.Default.ErrorDto) is { } error)
        {
            var violations = error.ConstraintViolations?
                .Select(v => Clean($"{v.Path}: {v.Message}" + (v.ParameterLocation is null ? "" : $" ({v.ParameterLocation})")))
                .ToList();
            var message = string.IsNullOrWhiteSpace(error.Message) ? DefaultMessage(status) : Clean(error.Message);
            return new DynatraceError(status, message, violations is { Count: > 0 } ? violations : null);
        }

        if (envelope?.Error is { ValueKind: JsonValueKind.String } oauthError)
        {
            var text = oauthError.GetString();
            var description = envelope.ErrorDescription;
            return new DynatraceError(status, Clean(string.IsNullOrWhiteSpace(description) ? text ?? "" : $"{text}: {description}"));
        }

        if (!body.IsEmpty && body[0] != (byte)'{' && body[0] != (byte)'[' && body[0] != (byte)'<')
        {
            var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxMessageLength * 2)]).Trim();
            if (text.Length > 0)
            {
                return new DynatraceError(status, Clean(text));
            }
        }

        return new DynatraceError(status, DefaultMessage(status));
    }

    /// <summary>The RFC 6749 <c>error</c> code of an SSO answer (<c>invalid_scope</c>, <c>invalid_client</c>…), or null.</summary>
    public static string? OAuthErrorCode(ReadOnlySpan<byte> body) =>
        DynatraceJson.TryDeserialize(body, DynatraceJsonContext.Default.ErrorEnvelopeDto)?.Error is { ValueKind: JsonValueKind.String } code
            ? code.GetString()
            : null;

    /// <summary>Redacted, single-line, bounded: safe for a log line or an audit record.</summary>
    public static string Clean(string text)
    {
        var redacted = Redaction.Redact(text) ?? "";
        redacted = redacted.ReplaceLineEndings(" ");
        return redacted.Length <= MaxMessageLength ? redacted : redacted[..MaxMessageLength] + "…";
    }

    private static string DefaultMessage(int status) => status switch
    {
        404 => "Not found.",
        _ => Enum.IsDefined((HttpStatusCode)status) ? ((HttpStatusCode)status).ToString() : "No error body.",
    };
}
