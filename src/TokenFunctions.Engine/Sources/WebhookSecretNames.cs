namespace TokenFunctions.Engine.Sources;

/// <summary>Names of the secrets the sources read, relative to the <c>Sources</c> configuration section.</summary>
public static class WebhookSecretNames
{
    public const string GitHubWebhookSecret = "GitHub:WebhookSecret";

    public const string GitHubToken = "GitHub:Token";

    public const string GitHubAppPrivateKey = "GitHub:AppPrivateKey";

    public const string PartnerKeysToken = "Partner:KeysToken";

    public const string GitGuardianSignatureToken = "GitGuardian:SignatureToken";

    public const string GenericSecret = "Generic:Secret";

    public const string GitLabToken = "GitLab:Token";
}
