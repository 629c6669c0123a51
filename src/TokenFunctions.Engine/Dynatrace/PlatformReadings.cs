namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// What one account's Account Management API has shown of the readings its docs leave open (reference §10), as far as
/// this process has seen: the OAuth scope family the client holds, the id form, the paging parameter names and page base,
/// whether <c>searchTerm</c> is honoured. Named in outcomes, <c>status</c> and logs so an operator learns which reading
/// the live service uses. Null or <see cref="PlatformIdForm.Unknown"/>: not seen yet.
/// </summary>
public sealed record PlatformReadings
{
    public static PlatformReadings None { get; } = new();

    /// <summary>The family of the bearer that last worked: <c>account-idm</c>, <c>platform-token</c> or <c>configured</c>.</summary>
    public string? ScopeFamily { get; init; }

    public PlatformIdForm IdForm { get; init; }

    /// <summary><c>page/size</c> or <c>pageNumber/pageSize</c>: the pair whose size the server echoed.</summary>
    public string? PagingNames { get; init; }

    /// <summary>The number of the first page, 0 or 1, from the first page's <c>pageNumber</c>.</summary>
    public int? PageBase { get; init; }

    /// <summary>False once a search for a term nothing can match listed tokens anyway.</summary>
    public bool? HonoursSearchTerm { get; init; }

    /// <summary>One line for outcomes, logs and <c>status</c>.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        $"scopes {ScopeFamily ?? "not yet fetched"}",
        IdForm switch
        {
            PlatformIdForm.Prefixed => "ids dt0s16.PUBLIC",
            PlatformIdForm.ServerAssigned => "ids of the server's own form (not dt0s16)",
            _ => "id form not seen yet",
        },
        PagingNames is null ? "paging names not seen yet" : $"paging {PagingNames}" + (PageBase is { } b ? $" from {b}" : string.Empty),
        HonoursSearchTerm switch { false => "searchTerm ignored", true => "searchTerm honoured", _ => null },
    }.OfType<string>());
}
