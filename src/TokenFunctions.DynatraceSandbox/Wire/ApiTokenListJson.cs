using System.Text.Json.Serialization;

namespace TokenFunctions.DynatraceSandbox.Wire;

internal sealed record ApiTokenListJson(
    IReadOnlyList<ApiTokenJson> ApiTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextPageKey,
    int PageSize,
    long TotalCount);
