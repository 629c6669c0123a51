namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// The one way platform-token lists are paged. Dynatrace documents the <c>page</c> parameter only as "the number of the
/// requested page" and answers with <c>pageNumber</c> and <c>total</c>; whether numbers start at 0 or 1 is UNCONFIRMED
/// (Dynatrace's CLI dtctl counts from 0, a server written from the docs may count from 1). So the first page is asked for
/// without <c>page</c> (the server's default), every next one is the answer's <c>pageNumber</c> + 1, and the listing ends
/// when <c>total</c> distinct tokens were seen or a page is empty after a non-empty one. An empty first page while
/// <c>total</c> says there are tokens is never taken to mean "none": the next number is tried, and when no page within
/// reach of <c>total</c> brings a token the listing fails as inconsistent instead of reporting absence.
/// </summary>
internal static class PlatformTokenPaging
{
    /// <summary>What follows a page: the page number to ask for next, or the end of the listing (complete or inconsistent).</summary>
    internal readonly record struct Step(int? Next, bool Inconsistent)
    {
        public bool IsLast => Next is null;

        public static Step Complete => new(null, false);
    }

    /// <summary>
    /// Decides what follows <paramref name="page"/>, asked as <paramref name="asked"/> (null: the server's default) after
    /// <paramref name="seenBefore"/> distinct tokens on earlier pages. Pure, so a durable cursor can resume with it.
    /// </summary>
    public static Step Next(PlatformTokenPage page, int? asked, long seenBefore, int askedSize)
    {
        ArgumentNullException.ThrowIfNull(page);
        var seen = seenBefore + page.Tokens.Count;
        if (page.Total is { } total && seen >= total)
        {
            return Step.Complete;
        }

        if (page.Tokens.Count == 0 && (seenBefore > 0 || page.Total is null or 0))
        {
            // Empty after tokens (the list shrank while we read it), or an empty list that claims nothing more.
            return Step.Complete;
        }

        // UNCONFIRMED fallback: a server that omits pageNumber is taken to count from the page we asked, or from 0.
        var current = page.PageNumber ?? asked ?? 0;
        if (page.Total is { } claimed)
        {
            var size = Math.Max(1, page.PageSize > 0 ? page.PageSize : askedSize);

            // The last page number a 0- or a 1-based server can have for this total.
            var lastPossible = ((claimed + size - 1) / size) + 1;
            if (current >= lastPossible)
            {
                return seen == 0 ? new Step(null, Inconsistent: true) : Step.Complete;
            }
        }

        return new Step(current + 1, false);
    }

    /// <summary>
    /// Reads page after page through <paramref name="fetch"/> and hands each page's tokens not seen before to
    /// <paramref name="visit"/>, which returns true to stop early (it found what it was looking for). Ok(true) when
    /// <paramref name="visit"/> stopped, Ok(false) when every page was read, or the first failure.
    /// </summary>
    public static async Task<DynatraceResult<bool>> WalkAsync(
        Func<PlatformTokenQuery, Task<DynatraceResult<PlatformTokenPage>>> fetch,
        PlatformTokenQuery first,
        Func<IReadOnlyList<PlatformTokenInfo>, bool> visit,
        int maxPages)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(visit);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var query = first;
        for (var pages = 0; pages < maxPages; pages++)
        {
            var result = await fetch(query).ConfigureAwait(false);
            if (!result.IsOk)
            {
                return result.As<bool>();
            }

            var page = result.Value!;
            var fresh = page.Tokens.Where(t => seen.Add(t.Id.Value)).ToList();
            if (fresh.Count == 0 && page.Tokens.Count > 0)
            {
                // A repeated page: the server ignored the page number (UNCONFIRMED parameter names), so the rest is unreachable.
                return DynatraceResult<bool>.Fail(DynatraceStatus.Transient, new DynatraceError(0,
                    $"Dynatrace answered platform-token page {query.Page} with tokens of an earlier page after {seen.Count} of {page.Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}; the listing is incomplete."));
            }

            if (fresh.Count > 0 && visit(fresh))
            {
                return DynatraceResult<bool>.Ok(true);
            }

            // Counting distinct ids: a server that ignores the page number and repeats a page cannot fake completeness.
            var step = Next(page with { Tokens = fresh }, query.Page, seen.Count - fresh.Count, query.Size);
            if (step.Inconsistent)
            {
                return DynatraceResult<bool>.Fail(DynatraceStatus.Transient, new DynatraceError(0,
                    $"Dynatrace reports {page.Total} platform token(s) but every page up to {page.PageNumber ?? query.Page} came back empty; not concluding that none exist. Retry later."));
            }

            if (step.IsLast)
            {
                return DynatraceResult<bool>.Ok(false);
            }

            query = query with { Page = step.Next };
        }

        return DynatraceResult<bool>.Ok(false);
    }
}
