using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>Answers every alert with <see cref="Secret"/> (a raw string, as GitHub would), or <see cref="Status"/>.</summary>
public sealed class FakeGitHubAlertClient : IGitHubAlertClient
{
    public string? Secret { get; set; } = TestTokens.Classic(1);

    public GitHubFetchStatus Status { get; set; } = GitHubFetchStatus.Ok;

    /// <summary>How each resolution ends, given its 1-based attempt number; resolved by default.</summary>
    public Func<int, CancellationToken, Task<GitHubResolveStatus>> Resolve { get; set; } = (_, _) => Task.FromResult(GitHubResolveStatus.Resolved);

    /// <summary>Completed when a resolution is first attempted.</summary>
    public TaskCompletionSource ResolveCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<GitHubAlertRef> Fetched { get; } = [];

    /// <summary>Resolutions that succeeded.</summary>
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

    /// <summary>Every resolution attempted (whatever it returned).</summary>
    public List<(GitHubAlertRef Alert, string Comment)> Attempts { get; } = [];

    public async Task<GitHubResolveStatus> ResolveRevokedAsync(GitHubAlertRef alert, string comment, CancellationToken cancellationToken)
    {
        Attempts.Add((alert, comment));
        ResolveCalled.TrySetResult();
        var status = await Resolve(Attempts.Count, cancellationToken);
        if (status == GitHubResolveStatus.Resolved)
        {
            Resolved.Add((alert, comment));
        }

        return status;
    }
}
