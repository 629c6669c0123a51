namespace TokenFunctions.DynatraceSandbox;

/// <summary>An OAuth client registered with the sandbox's SSO for one account.</summary>
public sealed record SandboxOAuthClientCredentials(string ClientId, string ClientSecret, Guid AccountUuid, string UserUuid)
{
    public override string ToString() => $"{ClientId} (account {AccountUuid})";
}
