using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHub;

public enum GitHubFetchStatus
{
    Ok,

    /// <summary>404: the alert (or repository) is gone, or the credential cannot see it.</summary>
    NotFound,

    /// <summary>401/403: our GitHub credential is missing, wrong or lacks <c>secret_scanning_alerts: read</c>.</summary>
    Denied,

    /// <summary>Timeout, 5xx, rate limit, unreadable answer.</summary>
    Failed,
}

/// <summary>
/// What the REST alert said, already reduced to parsed tokens: the raw secret text never leaves the client.
/// </summary>
public sealed class GitHubAlertSecret
{
    private GitHubAlertSecret(GitHubFetchStatus status, int httpStatus, IReadOnlyList<TokenSecret> tokens, bool hadSecret)
    {
        Status = status;
        HttpStatus = httpStatus;
        Tokens = tokens;
        HadSecret = hadSecret;
    }

    public GitHubFetchStatus Status { get; }

    public int HttpStatus { get; }

    /// <summary>The Dynatrace tokens in the alert's <c>secret</c> (usually exactly one).</summary>
    public IReadOnlyList<TokenSecret> Tokens { get; }

    /// <summary>The alert had a <c>secret</c> value (false when GitHub hid it).</summary>
    public bool HadSecret { get; }

    public static GitHubAlertSecret Ok(IReadOnlyList<TokenSecret> tokens, bool hadSecret) => new(GitHubFetchStatus.Ok, 200, tokens, hadSecret);

    public static GitHubAlertSecret Fail(GitHubFetchStatus status, int httpStatus) => new(status, httpStatus, [], false);

    public override string ToString() => $"{Status} (HTTP {HttpStatus}, {Tokens.Count} token(s))";
}
