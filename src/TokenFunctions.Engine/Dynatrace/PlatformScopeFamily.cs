namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// The two OAuth scope families Dynatrace's sources name for platform-token calls (reference §4 and §10): the docs'
/// <c>account-idm-read</c>/<c>account-idm-write</c>, and the published OpenAPI's and dtctl's <c>platform-token:tokens:manage</c>
/// (list, status, expiry, delete) with <c>platform-token:tokens:write</c> (create). Which one the service enforces is
/// UNCONFIRMED, so an account without <c>Dynatrace:Accounts:N:Scopes</c> asks for the docs' family first and falls back to
/// the other once, on <c>invalid_scope</c> from the SSO or a 403 from the API.
/// </summary>
public sealed record PlatformScopeFamily(string Name, string Scopes)
{
    public static PlatformScopeFamily AccountIdm { get; } = new("account-idm", "account-idm-read account-idm-write");

    public static PlatformScopeFamily PlatformToken { get; } = new("platform-token", "platform-token:tokens:manage platform-token:tokens:write");

    /// <summary>The order they are tried in: the docs first.</summary>
    public static IReadOnlyList<PlatformScopeFamily> All { get; } = [AccountIdm, PlatformToken];

    /// <summary>Scopes set by hand (<c>Dynatrace:Accounts:N:Scopes</c>): asked for as given, never swapped.</summary>
    public static PlatformScopeFamily Configured(string scopes) => new("configured", scopes);

    public override string ToString() => $"{Name} ({Scopes})";
}
