using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary>
/// Dynatrace's <c>ErrorEnvelope</c> <c>{"error":{"code","message","constraintViolations"}}</c>, read together with the
/// RFC 6749 OAuth error shape <c>{"error":"…","error_description":"…"}</c> that the SSO answers with. <c>error</c> is
/// an object in the first and a string in the second, so it is read as a raw element.
/// </summary>
internal sealed record ErrorEnvelopeDto(
    [property: JsonPropertyName("error")] System.Text.Json.JsonElement? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record ErrorDto(int? Code, string? Message, IReadOnlyList<ConstraintViolationDto>? ConstraintViolations);

internal sealed record ConstraintViolationDto(string? Path, string? Message, string? ParameterLocation, string? Location);
