using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// One listed page: the ids the selector keeps, how many tokens the page held before that filter, and where the next page
/// is (<see cref="NextPageKey"/> for classic tokens, <see cref="NextPlatformPage"/> for platform tokens), or why the page
/// could not be read.
/// </summary>
public sealed record TokenIdPage(IReadOnlyList<TokenId> Tokens, int Listed, string? NextPageKey, int? NextPlatformPage, bool IsLast)
{
    public DynatraceStatus Status { get; init; } = DynatraceStatus.Ok;

    public DynatraceError? Error { get; init; }

    /// <summary>What the listing said of each token the page kept (classic pages; empty where a page carries ids only).</summary>
    public IReadOnlyList<TokenFacts> Facts { get; init; } = [];

    public static TokenIdPage Failed(DynatraceStatus status, DynatraceError error) => new([], 0, null, null, true) { Status = status, Error = error };

    /// <summary>A failed list answer, or one without a body.</summary>
    internal static TokenIdPage Failed<T>(DynatraceResult<T> result) => Failed(result.Status, result.Error ?? EmptyAnswer);

    /// <summary>This page as a result, for callers that handle every answer as one (the kill's gated questions).</summary>
    internal DynatraceResult<TokenIdPage> AsResult() =>
        Status == DynatraceStatus.Ok ? DynatraceResult<TokenIdPage>.Ok(this) : DynatraceResult<TokenIdPage>.Fail(Status, Error ?? EmptyAnswer);

    private static DynatraceError EmptyAnswer => new(0, "empty answer");
}
