namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>The credential for GitHub REST calls: a token from configuration, or a GitHub App installation token.</summary>
public interface IGitHubCredential
{
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>GitHub said 401: drop any cached token so the next call gets a fresh one.</summary>
    void Invalidate();
}
