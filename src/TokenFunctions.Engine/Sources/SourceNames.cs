namespace TokenFunctions.Engine.Sources;

/// <summary>The source names used in leaks, audit records, metrics and the per-source dry-run switch.</summary>
public static class SourceNames
{
    public const string GitHubAlert = "github-alert";

    public const string GitHubPartner = "github-partner";

    public const string GitGuardian = "gitguardian";

    public const string Generic = "generic";

    public const string GitLab = "gitlab";
}
