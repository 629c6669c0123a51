namespace TokenFunctions.Benchmarks.Tokens;

/// <summary>How many characters of input one invocation processes, for the throughput column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThroughputCharsAttribute(long chars) : Attribute
{
    public long Chars { get; } = chars;
}
