using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Sources.GitLab;

namespace TokenFunctions.Sources;

/// <summary>GitLab token-revocation contract: <c>POST /v1/revoke_tokens</c>.</summary>
public sealed class GitLabRevokeTokens(GitLabRevocationEndpoint endpoint)
{
    [Function(nameof(GitLabRevokeTokens))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "gitlab/v1/revoke_tokens")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.RevokeTokensAsync(request, cancellationToken);
}
