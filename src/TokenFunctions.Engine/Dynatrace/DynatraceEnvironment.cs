namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Which Environment API call disables a classic token in this environment.</summary>
public enum DisableApi
{
    /// <summary><c>PUT /api/v2/apiTokens/{id}</c> with <c>{"enabled":false}</c>.</summary>
    V2 = 0,

    /// <summary><c>PUT /api/v1/tokens/{id}</c> with <c>{"revoked":true}</c> (deprecated API, kept for old Managed clusters).</summary>
    V1,
}

/// <summary>
/// One Dynatrace environment. <see cref="ApiBaseUrl"/> is the URL the <c>/api/…</c> paths hang off:
/// SaaS <c>https://{env}.live.dynatrace.com/</c>, Managed or ActiveGate <c>https://{domain}/e/{env}/</c>.
/// </summary>
public sealed record DynatraceEnvironment
{
    public required string Name { get; init; }

    public required Uri ApiBaseUrl { get; init; }

    /// <summary>An API token with <c>apiTokens.read</c> + <c>apiTokens.write</c> (not a PAT: a PAT can only touch its owner's tokens).</summary>
    public required CredentialReference Credential { get; init; }

    /// <summary>Used when Dynatrace answers 400 "you can't disable the token you're using" (the primary credential leaked).</summary>
    public CredentialReference? SecondaryCredential { get; init; }

    public DisableApi DisableApi { get; init; } = DisableApi.V2;
}
