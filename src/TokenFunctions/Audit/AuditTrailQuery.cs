using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Audit;

/// <summary>Reads the audit trail: by token id, incident id or time range (<c>GET /api/audit</c>).</summary>
public sealed class AuditTrailQuery(AuditQueryEndpoint endpoint)
{
    [Function(nameof(AuditTrailQuery))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "audit")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
