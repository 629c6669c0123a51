namespace TokenFunctions.Engine.Dynatrace;

/// <summary>What Dynatrace said when a call did not succeed, from its <c>ErrorEnvelope</c> when it sent one.</summary>
public sealed record DynatraceError(int HttpStatus, string Message, IReadOnlyList<string>? ConstraintViolations = null)
{
    /// <summary>How long Dynatrace asked us to wait (<c>Retry-After</c> / <c>X-RateLimit-Reset</c>), when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public override string ToString() => HttpStatus == 0 ? Message : $"HTTP {HttpStatus}: {Message}";
}
