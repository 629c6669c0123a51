using System.Text.Json.Serialization;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// Which reading of Dynatrace's platform-token sources the sandbox plays (reference §10: where the docs, the published
/// OpenAPI and Dynatrace's CLI dtctl disagree). The default is the docs read literally: <c>page</c>/<c>size</c> from 0,
/// <c>searchTerm</c> honoured, either scope family accepted, <c>dt0s16.PUBLIC</c> ids, <c>status</c> in list items,
/// <c>metadata.lastClientId</c>.
/// </summary>
public sealed record SandboxPlatformReading
{
    /// <summary>The list query parameters the server honours; the other pair is ignored.</summary>
    public SandboxPagingNames Paging { get; init; } = SandboxPagingNames.PageAndSize;

    /// <summary>The number of the first list page, 0 or 1. A page below it answers an empty page, as a strict 1-based server may.</summary>
    public int PageBase { get; init; }

    /// <summary>False: <c>searchTerm</c> is ignored and every token is listed.</summary>
    public bool HonoursSearchTerm { get; init; } = true;

    /// <summary>Which OAuth scope family the platform-token endpoints accept (403 "missing scope" otherwise).</summary>
    public SandboxScopeFamily ScopeFamily { get; init; } = SandboxScopeFamily.Either;

    /// <summary>How the API names a token in <c>tokenId</c> and in paths.</summary>
    public SandboxIdForm IdForm { get; init; } = SandboxIdForm.Prefixed;

    /// <summary>False: list items carry no <c>status</c> (the documented <c>PlatformTokenDto</c> has none).</summary>
    public bool ListsStatus { get; init; } = true;

    /// <summary>
    /// True: last use as <c>metadata.lastClientIp</c> (the published OpenAPI); false: <c>metadata.lastClientId</c> (the docs).
    /// </summary>
    public bool LastClientAsIp { get; init; }

    /// <summary>Short text naming the reading, for test names and logs.</summary>
    public override string ToString() =>
        $"{Paging switch { SandboxPagingNames.PageAndSize => "page/size", SandboxPagingNames.PageNumberAndPageSize => "pageNumber/pageSize", _ => "no paging" }} from {PageBase}"
        + (HonoursSearchTerm ? string.Empty : ", searchTerm ignored")
        + (ScopeFamily == SandboxScopeFamily.Either ? string.Empty : $", {ScopeFamily} scopes")
        + $", {IdForm} ids"
        + (ListsStatus ? string.Empty : ", no status")
        + (LastClientAsIp ? ", lastClientIp" : ", lastClientId");
}

/// <summary>The platform-token list's paging parameter names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SandboxPagingNames>))]
public enum SandboxPagingNames
{
    /// <summary><c>page</c> / <c>size</c>: the docs (get-all-platform-tokens).</summary>
    PageAndSize = 0,

    /// <summary><c>pageNumber</c> / <c>pageSize</c>: Dynatrace's CLI dtctl.</summary>
    PageNumberAndPageSize,

    /// <summary>Neither: every request gets the first page (<c>size</c> still honoured), so a listing cannot go past it.</summary>
    None,
}

/// <summary>The OAuth scopes the platform-token endpoints accept.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SandboxScopeFamily>))]
public enum SandboxScopeFamily
{
    /// <summary>Either family (the sandbox's lenient default).</summary>
    Either = 0,

    /// <summary><c>account-idm-read</c> (list) and <c>account-idm-write</c> (everything else): the docs.</summary>
    AccountIdm,

    /// <summary><c>platform-token:tokens:manage</c> (list, status, expiry, delete) and <c>…:write</c> (create): OpenAPI and dtctl.</summary>
    PlatformToken,
}

/// <summary>How a platform token is addressed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SandboxIdForm>))]
public enum SandboxIdForm
{
    /// <summary><c>dt0s16.PUBLIC</c>: the docs' examples.</summary>
    Prefixed = 0,

    /// <summary>A UUID (dtctl's fixtures); <c>searchTerm</c> still matches the token's <c>dt0s16.PUBLIC</c> id.</summary>
    Uuid,
}
