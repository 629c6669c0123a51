namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>The two GitHub REST calls the alert webhook needs.</summary>
public interface IGitHubAlertClient
{
    /// <summary><c>GET …/secret-scanning/alerts/{number}</c>, reduced to the Dynatrace tokens in its <c>secret</c>.</summary>
    Task<GitHubAlertSecret> GetSecretAsync(GitHubAlertRef alert, CancellationToken cancellationToken);

    /// <summary><c>PATCH …/secret-scanning/alerts/{number}</c> with <c>state=resolved</c>, <c>resolution=revoked</c>; idempotent.</summary>
    Task<GitHubResolveStatus> ResolveRevokedAsync(GitHubAlertRef alert, string comment, CancellationToken cancellationToken);
}
