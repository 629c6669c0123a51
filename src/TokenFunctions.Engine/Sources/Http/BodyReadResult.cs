namespace TokenFunctions.Engine.Sources.Http;

/// <summary>The raw request bytes, or why they were refused.</summary>
public readonly record struct BodyReadResult(ReadOnlyMemory<byte> Body, bool TooLarge)
{
    public static BodyReadResult Oversize => new(default, true);
}
