namespace TokenFunctions.Engine.Tokens;

/// <summary>What a Dynatrace token prefix says the token is, and so which API can kill it.</summary>
public enum TokenKind
{
    /// <summary>A prefix we recognise as Dynatrace's but have no kill path for (SCIM, ActiveGate, refresh tokens, …).</summary>
    Unsupported = 0,

    /// <summary><c>dt0c01</c>: classic environment API token or personal access token (Environment API v1/v2).</summary>
    ClassicApiToken,

    /// <summary><c>dt0s16</c>: platform token (Account Management API).</summary>
    PlatformToken,

    /// <summary><c>dt0s02</c>, <c>dt0s03</c>, <c>dt0s08</c>: OAuth client secrets. No documented API disables them; a human must.</summary>
    OAuthClientSecret,
}
