namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>The GitHub secret-scanning partner format (ECDSA-signed), bound from <c>Sources:Partner</c>.</summary>
public sealed class PartnerOptions
{
    public const string SectionName = "Sources:Partner";

    public Uri KeysUrl { get; set; } = new("https://api.github.com/meta/public_keys/secret_scanning");

    /// <summary>Header names; deps.dev uses the same scheme with <c>GOSST-PUBLIC-KEY-IDENTIFIER</c>/<c>-SIGNATURE</c>.</summary>
    public string KeyIdHeader { get; set; } = "Github-Public-Key-Identifier";

    public string SignatureHeader { get; set; } = "Github-Public-Key-Signature";

    /// <summary>How long fetched keys are used without asking again.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Floor between two fetches, whatever the requests ask for (the key endpoint is rate-limited).</summary>
    public TimeSpan MinRefetchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an id that a fresh key list did not contain is answered "unknown" without refetching.</summary>
    public TimeSpan UnknownKeyCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When the key endpoint is down, keys are used up to this long past <see cref="KeyCacheDuration"/>; then 503.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Answer with false-positive feedback labels (token hashes only).</summary>
    public bool SendFeedback { get; set; } = true;
}
