using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Sources.GitHubPartner;

namespace TokenFunctions.Sources;

/// <summary>GitHub secret-scanning partner format (ECDSA-signed array of matches).</summary>
public sealed class GitHubPartnerReport(GitHubPartnerEndpoint endpoint)
{
    [Function(nameof(GitHubPartnerReport))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/github-partner")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
