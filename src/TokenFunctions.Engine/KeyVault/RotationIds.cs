namespace TokenFunctions.Engine.KeyVault;

/// <summary>Rotation ids: 32 lower-case hex characters (a version-7 GUID, so they sort by start time).</summary>
public static class RotationIds
{
    public static string New(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
    }

    public static bool IsValid(string? text) => text is { Length: 32 } && text.All(char.IsAsciiHexDigitLower);
}
