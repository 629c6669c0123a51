namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>A fine-grained PAT or classic token with <c>secret_scanning_alerts</c> read/write, from <c>Sources:GitHub:Token</c>.</summary>
public sealed class StaticGitHubCredential(IWebhookSecretProvider secrets) : IGitHubCredential
{
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) =>
        (await secrets.GetAsync(WebhookSecretNames.GitHubToken, cancellationToken).ConfigureAwait(false))?.Current;

    public void Invalidate()
    {
    }
}
