using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>Answers every alert with <see cref="Secret"/> (a raw string, as GitHub would), or <see cref="Status"/>.</summary>
public sealed class FakeGitHubAlertClient : IGitHubAlertClient
{
    public string? Secret { get; set; } = TestTokens.Classic(1);

    public GitHubFetchStatus Status { get; set; } = GitHubFetchStatus.Ok;

    public bool ResolveSucceeds { get; set; } = true;

    public List<GitHubAlertRef> Fetched { get; } = [];

    public List<(GitHubAlertRef Alert, string Comment)> Resolved { get; } = [];

    public Task<GitHubAlertSecret> GetSecretAsync(GitHubAlertRef alert, CancellationToken cancellationToken)
    {
        Fetched.Add(alert);
        if (Status != GitHubFetchStatus.Ok)
        {
            return Task.FromResult(GitHubAlertSecret.Fail(Status, 500));
        }

        if (Secret is null)
        {
            return Task.FromResult(GitHubAlertSecret.Ok([], false));
        }

        IReadOnlyList<TokenSecret> tokens = TokenSecret.TryParse(Secret, out var s) ? [s] : TokenScanner.FindSecrets(Secret).ToList();
        return Task.FromResult(GitHubAlertSecret.Ok(tokens, true));
    }

    public Task<bool> ResolveRevokedAsync(GitHubAlertRef alert, string comment, CancellationToken cancellationToken)
    {
        Resolved.Add((alert, comment));
        return Task.FromResult(ResolveSucceeds);
    }
}
