namespace TokenFunctions.DynatraceSandbox.Wire;

/// <summary>Dynatrace's <c>ErrorEnvelope</c>.</summary>
internal sealed record ErrorEnvelopeJson(ErrorJson Error);

internal sealed record ErrorJson(int Code, string Message, IReadOnlyList<ConstraintViolationJson>? ConstraintViolations = null);

internal sealed record ConstraintViolationJson(string Path, string Message, string ParameterLocation, string? Location = null);
