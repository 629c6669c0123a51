namespace TokenFunctions.DynatraceSandbox;

/// <summary>Every endpoint the sandbox serves; calls are counted per endpoint so tests can assert "exactly once".</summary>
public enum SandboxEndpoint
{
    /// <summary><c>POST /api/v2/apiTokens/lookup</c>.</summary>
    ApiTokensLookup = 0,

    /// <summary><c>GET /api/v2/apiTokens/{id}</c>.</summary>
    ApiTokensGet,

    /// <summary><c>GET /api/v2/apiTokens</c>.</summary>
    ApiTokensList,

    /// <summary><c>POST /api/v2/apiTokens</c>.</summary>
    ApiTokensCreate,

    /// <summary><c>PUT /api/v2/apiTokens/{id}</c>.</summary>
    ApiTokensUpdate,

    /// <summary><c>DELETE /api/v2/apiTokens/{id}</c>.</summary>
    ApiTokensDelete,

    /// <summary><c>PUT /api/v1/tokens/{id}</c>.</summary>
    V1TokensUpdate,

    /// <summary><c>POST /sso/oauth2/token</c>.</summary>
    OAuthToken,

    /// <summary><c>GET /iam/v1/accounts/{uuid}/platform-tokens</c>.</summary>
    PlatformTokensList,

    /// <summary><c>POST /iam/v1/accounts/{uuid}/platform-tokens</c>.</summary>
    PlatformTokensCreate,

    /// <summary><c>DELETE /iam/v1/accounts/{uuid}/platform-tokens/{id}</c>.</summary>
    PlatformTokensDelete,

    /// <summary><c>PUT /iam/v1/accounts/{uuid}/platform-tokens/{id}/status</c>.</summary>
    PlatformTokensStatus,

    /// <summary><c>PUT /iam/v1/accounts/{uuid}/platform-tokens/{id}/expiration-date</c>.</summary>
    PlatformTokensExpiration,

    /// <summary><c>GET /audit/v1/accounts/{uuid}</c>.</summary>
    AccountAudit,
}
