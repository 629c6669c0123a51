namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// The Key Vault tag names that make a secret a managed credential. Every name starts with <c>tf-</c>; a secret carrying any
/// <c>tf-</c> tag is validated strictly (an unknown or misspelt <c>tf-</c> tag is an error, not ignored). Key Vault allows 15
/// tags of at most 512 characters per value; these use at most 13, leaving room for the operator's own tags, which are copied
/// to every new version.
/// </summary>
public static class ManagedCredentialTags
{
    public const string Prefix = "tf-";

    /// <summary>Token id of the secret's value, e.g. <c>dt0c01.ST2EY72KQINMH574WMNVI7YN</c>. Filled by adoption when absent.</summary>
    public const string TokenId = "tf-token-id";

    /// <summary>Lower-case hex SHA-256 of the secret's value: matching by fingerprint never reads a secret.</summary>
    public const string Fingerprint = "tf-fingerprint";

    /// <summary><c>classic</c> (dt0c01, Environment API) or <c>platform</c> (dt0s16, Account Management API).</summary>
    public const string Kind = "tf-kind";

    /// <summary>The configured environment name (classic) or account name (platform) the token lives in.</summary>
    public const string Target = "tf-target";

    /// <summary>Rotate when the current version is this old, e.g. <c>90d</c>.</summary>
    public const string RotationPeriod = "tf-rotation-period";

    /// <summary>How long the replaced token keeps working after a scheduled rotation, e.g. <c>2d</c>; <c>0d</c> for none.</summary>
    public const string Overlap = "tf-overlap";

    /// <summary>Optional: expiry of each new token from its creation; default rotation period + overlap + <c>Rotation:ExpiryMargin</c>.</summary>
    public const string Lifetime = "tf-lifetime";

    /// <summary>Who to tell about this credential (team alias, e-mail, channel).</summary>
    public const string Notify = "tf-notify";

    /// <summary><c>pending</c> between the Key Vault write and verification, <c>current</c> afterwards (absent = current).</summary>
    public const string Stage = "tf-stage";

    /// <summary>The rotation that produced this version (32 hex characters).</summary>
    public const string RotationId = "tf-rotation-id";

    public const string PreviousTokenId = "tf-previous-token-id";

    public const string PreviousFingerprint = "tf-previous-fingerprint";

    /// <summary>Dynatrace owner of a created classic token: the owner of the credential that created it.</summary>
    public const string TokenOwner = "tf-token-owner";

    /// <summary>Key Vault's limits.</summary>
    public const int MaxTags = 15;

    public const int MaxValueLength = 512;

    /// <summary>The content type written on every version this app creates.</summary>
    public const string ContentType = "application/vnd.dynatrace.token";

    public static readonly IReadOnlyList<string> All =
    [
        TokenId, Fingerprint, Kind, Target, RotationPeriod, Overlap, Lifetime, Notify, Stage, RotationId, PreviousTokenId,
        PreviousFingerprint, TokenOwner,
    ];

    /// <summary>Tags an operator must set to enrol a secret; the rest are written by adoption and rotation.</summary>
    public static readonly IReadOnlyList<string> Required = [Kind, Target, RotationPeriod, Overlap, Notify];

    public static bool IsOurs(string tagName) => tagName.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
