using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

public sealed class PlatformTokenPagingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Every_page_is_read_from_the_default_page_on_following_pageNumber(int pageBase)
    {
        var server = new PagedServer(Tokens(250), pageBase);

        var seen = await WalkAllAsync(server);

        Assert.Equal(250, seen.Count);
        Assert.Equal([null, pageBase + 1, pageBase + 2], server.Asked);
    }

    [Fact]
    public async Task An_empty_first_page_while_total_says_otherwise_is_followed_by_the_next_number()
    {
        // A server whose default page is below its base (empty) but whose total counts the token.
        var server = new PagedServer(Tokens(1), pageBase: 1) { DefaultPage = 0 };

        var seen = await WalkAllAsync(server);

        Assert.Single(seen);
        Assert.Equal([null, 1], server.Asked);
    }

    [Fact]
    public async Task Pages_that_stay_empty_while_total_is_positive_fail_instead_of_reporting_absence()
    {
        var server = new PagedServer(Tokens(1), pageBase: 1) { DefaultPage = 0, Hide = true };

        var result = await PlatformTokenPaging.WalkAsync(server.ListAsync, new PlatformTokenQuery(), _ => false, maxPages: 50);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Contains("not concluding that none exist", result.Error!.Message, StringComparison.Ordinal);
        Assert.True(server.Asked.Count <= 3, "the walk stops within reach of total");
    }

    [Fact]
    public async Task An_empty_list_is_one_request()
    {
        var server = new PagedServer([], pageBase: 0);

        Assert.Empty(await WalkAllAsync(server));
        Assert.Equal([null], server.Asked);
    }

    [Fact]
    public async Task A_server_that_ignores_the_page_number_fails_the_walk_instead_of_looping_or_faking_completeness()
    {
        var server = new PagedServer(Tokens(250), pageBase: 0) { IgnorePage = true };

        var result = await PlatformTokenPaging.WalkAsync(server.ListAsync, new PlatformTokenQuery(), _ => false, maxPages: 50);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Contains("listing is incomplete", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Asked.Count);
    }

    [Fact]
    public async Task A_visitor_that_found_its_token_stops_the_walk()
    {
        var server = new PagedServer(Tokens(250), pageBase: 1);

        var result = await PlatformTokenPaging.WalkAsync(server.ListAsync, new PlatformTokenQuery(), page => page.Any(t => t.Id.Value == Id(120)), maxPages: 50);

        Assert.True(result.Value);
        Assert.Equal(2, server.Asked.Count);
    }

    [Fact]
    public void Next_without_pageNumber_counts_from_the_page_asked()
    {
        var page = new PlatformTokenPage(Tokens(100), PageNumber: null, PageSize: 100, Total: 300);

        Assert.Equal(4, PlatformTokenPaging.Next(page, asked: 3, seenBefore: 100, askedSize: 100).Next);
        Assert.Equal(1, PlatformTokenPaging.Next(page, asked: null, seenBefore: 0, askedSize: 100).Next);
    }

    private static async Task<List<PlatformTokenInfo>> WalkAllAsync(PagedServer server)
    {
        var seen = new List<PlatformTokenInfo>();
        var result = await PlatformTokenPaging.WalkAsync(server.ListAsync, new PlatformTokenQuery(), page =>
        {
            seen.AddRange(page);
            return false;
        }, maxPages: 50);
        Assert.True(result.IsOk, result.Error?.ToString());
        return seen;
    }

    private static string Id(int i) => $"dt0s16.T{i:D7}";

    private static List<PlatformTokenInfo> Tokens(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PlatformTokenInfo { Id = TokenId.Parse(Id(i)) })];

    private sealed class PagedServer(IReadOnlyList<PlatformTokenInfo> tokens, int pageBase)
    {
        public List<int?> Asked { get; } = [];

        /// <summary>The page served without a page parameter; the base unless set.</summary>
        public int? DefaultPage { get; init; }

        public bool IgnorePage { get; init; }

        /// <summary>Serve only empty pages, while still counting every token in total.</summary>
        public bool Hide { get; init; }

        public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query)
        {
            Asked.Add(query.Page);
            var number = IgnorePage ? pageBase : query.Page ?? DefaultPage ?? pageBase;
            var page = Hide || number < pageBase ? [] : tokens.Skip((number - pageBase) * query.Size).Take(query.Size).ToList();
            return Task.FromResult(DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(page, number, query.Size, tokens.Count)));
        }
    }
}
