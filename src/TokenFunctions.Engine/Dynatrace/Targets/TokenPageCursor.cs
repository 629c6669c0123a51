namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// Where a page listing is: the classic <see cref="PageKey"/> or the platform <see cref="PlatformPage"/> of the page to
/// read (both null: the first page), and the tokens on the pages passed before it (platform paging counts them to know
/// when the listing ends).
/// </summary>
public sealed record TokenPageCursor(string? PageKey, int? PlatformPage, long Listed);
