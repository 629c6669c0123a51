using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Sources.Generic;

namespace TokenFunctions.Sources;

/// <summary>Generic signed webhook for any scanner (TruffleHog, Gitleaks, in-house).</summary>
public sealed class GenericScannerReport(GenericWebhookEndpoint endpoint)
{
    [Function(nameof(GenericScannerReport))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/generic")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
