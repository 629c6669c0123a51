using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Sources.GitLab;

namespace TokenFunctions.Sources;

/// <summary>GitLab token-revocation contract: <c>GET /v1/revocable_token_types</c>.</summary>
public sealed class GitLabRevocableTokenTypes(GitLabRevocationEndpoint endpoint)
{
    [Function(nameof(GitLabRevocableTokenTypes))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "gitlab/v1/revocable_token_types")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.GetTokenTypesAsync(request, cancellationToken);
}
