namespace TokenFunctions.Engine.Audit;

/// <summary>A stored record with its id (its row key, identical in every index partition).</summary>
public sealed record AuditEntry(string RecordId, AuditRecord Record);
