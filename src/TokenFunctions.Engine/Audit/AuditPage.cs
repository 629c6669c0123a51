namespace TokenFunctions.Engine.Audit;

/// <summary>Up to the query's limit of records, newest first, and where to resume (null on the last page).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? Continuation);
