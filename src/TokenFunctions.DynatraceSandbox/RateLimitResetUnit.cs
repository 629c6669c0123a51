namespace TokenFunctions.DynatraceSandbox;

/// <summary>The unit of the epoch timestamp in <c>X-RateLimit-Reset</c>; Dynatrace documents microseconds, its own clients disagree.</summary>
public enum RateLimitResetUnit
{
    Microseconds = 0,
    Milliseconds,
    Seconds,
}
