using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Sources.GitGuardian;

namespace TokenFunctions.Sources;

/// <summary>GitGuardian custom webhook.</summary>
public sealed class GitGuardianIncident(GitGuardianEndpoint endpoint)
{
    [Function(nameof(GitGuardianIncident))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/gitguardian")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
