namespace TokenFunctions.Engine.Audit;

/// <summary>Reads the audit trail. The query must pass <see cref="AuditQuery.Validate"/>; an invalid one is a caller bug.</summary>
public interface IAuditQuery
{
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}
