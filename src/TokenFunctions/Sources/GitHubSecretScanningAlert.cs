using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Sources.GitHub;

namespace TokenFunctions.Sources;

/// <summary>GitHub <c>secret_scanning_alert</c> webhook (repository, organisation or App).</summary>
public sealed class GitHubSecretScanningAlert(GitHubAlertEndpoint endpoint)
{
    [Function(nameof(GitHubSecretScanningAlert))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/github")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
