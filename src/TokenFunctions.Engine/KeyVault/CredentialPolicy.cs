using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>What an operator declares about a managed credential through its tags: what it is and how it is rotated.</summary>
public sealed record CredentialPolicy
{
    /// <summary><see cref="TokenKind.ClassicApiToken"/> or <see cref="TokenKind.PlatformToken"/>.</summary>
    public required TokenKind Kind { get; init; }

    /// <summary>Configured environment name (classic) or account name (platform).</summary>
    public required string Target { get; init; }

    public required TimeSpan RotationPeriod { get; init; }

    public required TimeSpan Overlap { get; init; }

    /// <summary>Explicit token lifetime; null means rotation period + overlap + the configured margin.</summary>
    public TimeSpan? Lifetime { get; init; }

    public required string Notify { get; init; }

    public static string KindTag(TokenKind kind) => kind switch
    {
        TokenKind.ClassicApiToken => "classic",
        TokenKind.PlatformToken => "platform",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only classic and platform tokens can be managed."),
    };
}
