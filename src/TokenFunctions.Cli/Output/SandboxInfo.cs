namespace TokenFunctions.Cli.Output;

/// <summary><c>sandbox</c>: where it listens and where its settings (with its generated credentials) were written.</summary>
public sealed record SandboxInfo(string BaseUrl, IReadOnlyList<SandboxEnvironmentInfo> Environments, string AccountUuid, string AccountApiBaseUrl, string SsoTokenEndpoint, string SettingsFile)
{
    public string? KeyVaultUri { get; init; }

    public string? ManagedSecretName { get; init; }

    /// <summary>Owner-only: the secrets of the sandbox's own leakable tokens, never printed.</summary>
    public string? DrillSecretsFile { get; init; }

    public int LeakableTokens { get; init; }
}

public sealed record SandboxEnvironmentInfo(string Name, string ApiBaseUrl, IReadOnlyList<string> TokenIds);
