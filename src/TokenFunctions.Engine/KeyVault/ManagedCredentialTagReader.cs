using Azure.Security.KeyVault.Secrets;
using TokenFunctions.Engine.Primitives;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// Reads and validates the <c>tf-</c> tags of one Key Vault version. Strict: every problem is collected into a readable
/// error list (a malformed tag is a report, never an exception and never a default). The Key Vault sample this replaces
/// crashed with IndexOutOfRange on a bad tag; nothing here indexes into untrusted text without checking it first.
/// </summary>
public static class ManagedCredentialTagReader
{
    private static readonly TimeSpan MinRotationPeriod = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxRotationPeriod = TimeSpan.FromDays(3650);
    private const int MaxNotifyLength = 256;
    private const int MaxTargetLength = 128;

    public static TagReadResult Read(SecretProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var id = properties.Id is { } uri ? VersionlessId(uri, properties.Name) : properties.Name;
        return Read(properties.Name, id, properties.Version, properties.Tags, properties.CreatedOn, properties.ExpiresOn, properties.Enabled);
    }

    public static TagReadResult Read(
        string secretName,
        string secretId,
        string? version,
        IEnumerable<KeyValuePair<string, string>>? tags,
        DateTimeOffset? createdOn,
        DateTimeOffset? expiresOn,
        bool? enabled)
    {
        ArgumentNullException.ThrowIfNull(secretName);
        var errors = new List<string>();
        var (ours, other) = SplitTags(tags, errors);
        if (ours.Count == 0 && errors.Count == 0)
        {
            return TagReadResult.NotManaged(secretName);
        }

        if (enabled == false)
        {
            errors.Add("the newest version is disabled in Key Vault, so consumers cannot read it");
        }

        foreach (var required in ManagedCredentialTags.Required)
        {
            if (!ours.ContainsKey(required))
            {
                errors.Add($"required tag '{required}' is missing");
            }
        }

        var policy = ReadPolicy(ours, errors);
        var identity = ReadIdentity(ours, policy.Kind, errors);
        CheckRoom(ours, other, policy.Kind, policy.Lifetime, errors);
        if (errors.Count > 0)
        {
            return new TagReadResult(secretName, TagReadStatus.Invalid, null, null, errors);
        }

        return Build(new VersionFacts(secretName, secretId, version, createdOn, expiresOn, other), policy, identity);
    }

    /// <summary><c>https://vault/secrets/name/version</c> → <c>https://vault/secrets/name</c>.</summary>
    public static string VersionlessId(Uri id, string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        var text = id.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var marker = "/secrets/" + name;
        var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? text : text[..(at + marker.Length)];
    }

    /// <summary>Our tags (tf-, spelt right) apart from the operator's own; a misspelt or unknown tf- tag is an error.</summary>
    private static (Dictionary<string, string> Ours, Dictionary<string, string> Other) SplitTags(
        IEnumerable<KeyValuePair<string, string>>? tags, List<string> errors)
    {
        var ours = new Dictionary<string, string>(StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in tags ?? [])
        {
            if (!ManagedCredentialTags.IsOurs(name))
            {
                other[name] = value;
                continue;
            }

            if (!ManagedCredentialTags.All.Contains(name, StringComparer.Ordinal))
            {
                var canonical = ManagedCredentialTags.All.FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));
                errors.Add(canonical is null
                    ? $"unknown tag '{Show(name)}' (known tf- tags: {string.Join(", ", ManagedCredentialTags.All)})"
                    : $"tag '{Show(name)}' must be spelt '{canonical}' (tf- tag names are lower-case)");
                continue;
            }

            ours[name] = value ?? string.Empty;
        }

        return (ours, other);
    }

    /// <summary>What the operator asks for: kind, target, notify and the three durations, which must fit together.</summary>
    private static PolicyTags ReadPolicy(Dictionary<string, string> ours, List<string> errors)
    {
        var kind = ReadTag(ours, ManagedCredentialTags.Kind, ParseKind, "'classic' (dt0c01 API token) or 'platform' (dt0s16 platform token)", errors);
        var target = ReadText(ours, ManagedCredentialTags.Target, MaxTargetLength, errors);
        var notify = ReadText(ours, ManagedCredentialTags.Notify, MaxNotifyLength, errors);
        var period = ReadDuration(ours, ManagedCredentialTags.RotationPeriod, errors);
        var overlap = ReadDuration(ours, ManagedCredentialTags.Overlap, errors);
        var lifetime = ReadDuration(ours, ManagedCredentialTags.Lifetime, errors);
        if (period is { } p && (p < MinRotationPeriod || p > MaxRotationPeriod))
        {
            errors.Add($"'{ManagedCredentialTags.RotationPeriod}' must be between 1h and 3650d");
        }

        if (period is { } p2 && overlap is { } o && o >= p2)
        {
            errors.Add($"'{ManagedCredentialTags.Overlap}' ({Duration.FormatTag(o)}) must be shorter than '{ManagedCredentialTags.RotationPeriod}' ({Duration.FormatTag(p2)})");
        }

        if (lifetime is { } l && period is { } p3 && overlap is { } o2 && l <= p3 + o2)
        {
            errors.Add($"'{ManagedCredentialTags.Lifetime}' ({Duration.FormatTag(l)}) must exceed rotation period + overlap ({Duration.FormatTag(p3 + o2)}), or tokens expire before they are rotated");
        }

        return new PolicyTags(kind, target, notify, period, overlap, lifetime);
    }

    /// <summary>What rotation records: the token (id and fingerprint go together), its predecessor, stage, rotation, owner.</summary>
    private static IdentityTags ReadIdentity(Dictionary<string, string> ours, TokenKind? kind, List<string> errors)
    {
        var tokenId = ReadTokenId(ours, ManagedCredentialTags.TokenId, errors);
        var fingerprint = ReadFingerprint(ours, ManagedCredentialTags.Fingerprint, errors);
        var previousId = ReadTokenId(ours, ManagedCredentialTags.PreviousTokenId, errors);
        var previousFingerprint = ReadFingerprint(ours, ManagedCredentialTags.PreviousFingerprint, errors);
        var stage = ReadTag(ours, ManagedCredentialTags.Stage, ParseStage, "'current' or 'pending'", errors) ?? CredentialStage.Current;
        var rotationId = ReadTag(ours, ManagedCredentialTags.RotationId, text => RotationIds.IsValid(text) ? text : null, "32 lower-case hex characters", errors);
        var owner = ReadText(ours, ManagedCredentialTags.TokenOwner, ManagedCredentialTags.MaxValueLength, errors);

        if (tokenId is { } tid && kind is { } k && tid.Kind != k)
        {
            errors.Add($"'{ManagedCredentialTags.TokenId}' {tid} is a {tid.Kind} id but '{ManagedCredentialTags.Kind}' says {CredentialPolicy.KindTag(k)}");
        }

        var hasId = ours.ContainsKey(ManagedCredentialTags.TokenId);
        var hasFingerprint = ours.ContainsKey(ManagedCredentialTags.Fingerprint);
        if (hasId != hasFingerprint)
        {
            errors.Add($"'{ManagedCredentialTags.TokenId}' and '{ManagedCredentialTags.Fingerprint}' go together: set both, or neither and let reconciliation adopt the secret");
        }

        return new IdentityTags(hasId, tokenId, fingerprint, previousId, previousFingerprint, stage, rotationId, owner);
    }

    /// <summary>The result of tags that read without error: unadopted until the token id and fingerprint are set.</summary>
    private static TagReadResult Build(VersionFacts version, PolicyTags tags, IdentityTags identity)
    {
        var policy = new CredentialPolicy
        {
            Kind = tags.Kind!.Value,
            Target = tags.Target!,
            RotationPeriod = tags.Period!.Value,
            Overlap = tags.Overlap!.Value,
            Lifetime = tags.Lifetime,
            Notify = tags.Notify!,
        };

        if (!identity.HasId)
        {
            return new TagReadResult(version.SecretName, TagReadStatus.Unadopted, null, policy, []);
        }

        var credential = new ManagedCredential
        {
            SecretName = version.SecretName,
            SecretId = version.SecretId,
            Version = version.Version,
            Policy = policy,
            TokenId = identity.TokenId!.Value,
            Fingerprint = identity.Fingerprint!,
            Stage = identity.Stage,
            RotationId = identity.RotationId,
            PreviousTokenId = identity.PreviousTokenId,
            PreviousFingerprint = identity.PreviousFingerprint,
            TokenOwner = identity.Owner,
            CreatedOn = version.CreatedOn,
            ExpiresOn = version.ExpiresOn,
            OtherTags = version.OtherTags,
        };
        return new TagReadResult(version.SecretName, TagReadStatus.Managed, credential, policy, []);
    }

    /// <summary>
    /// One tag through <paramref name="parse"/> (which answers null for text it does not accept): null when the tag is
    /// absent; when present but not accepted, null and the error "'name' is 'text'; expected <paramref name="expected"/>".
    /// </summary>
    private static T? ReadTag<T>(Dictionary<string, string> tags, string name, Func<string, T?> parse, string expected, List<string> errors)
    {
        if (!tags.TryGetValue(name, out var text))
        {
            return default;
        }

        var value = parse(text);
        if (value is null)
        {
            errors.Add($"'{name}' is '{Show(text)}'; expected {expected}");
        }

        return value;
    }

    private static TokenKind? ParseKind(string text) => text switch
    {
        "classic" => TokenKind.ClassicApiToken,
        "platform" => TokenKind.PlatformToken,
        _ => null,
    };

    private static CredentialStage? ParseStage(string text) => text switch
    {
        "current" => CredentialStage.Current,
        "pending" => CredentialStage.Pending,
        _ => null,
    };

    private static string? ReadText(Dictionary<string, string> tags, string name, int max, List<string> errors) =>
        tags.TryGetValue(name, out var text) ? CheckText(name, text, max, errors) : null;

    private static string? CheckText(string name, string text, int max, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"'{name}' is empty");
            return null;
        }

        if (text.Length > max)
        {
            errors.Add($"'{name}' is {text.Length} characters; at most {max}");
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors.Add($"'{name}' contains control characters");
            return null;
        }

        if (TokenScanner.FindAll(text).Count > 0)
        {
            errors.Add($"'{name}' contains what looks like a Dynatrace token secret: remove it from the tag at once (tags are not secret)");
            return null;
        }

        return text.Trim();
    }

    private static TimeSpan? ReadDuration(Dictionary<string, string> tags, string name, List<string> errors) =>
        ReadTag(tags, name, text => Duration.TryParseTag(text, out var duration) ? duration : (TimeSpan?)null, "a whole number and a unit, e.g. 90d, 36h or 30m", errors);

    private static TokenId? ReadTokenId(Dictionary<string, string> tags, string name, List<string> errors)
    {
        if (tags.TryGetValue(name, out var text) && TokenScanner.FindAll(text).Count > 0)
        {
            errors.Add($"'{name}' holds a full token secret instead of its id: remove it from the tag at once and rotate the token");
            return null;
        }

        return ReadTag(
            tags,
            name,
            text => Tokens.TokenId.TryParse(text, out var id) && id.Kind is TokenKind.ClassicApiToken or TokenKind.PlatformToken ? id : (TokenId?)null,
            "a dt0c01 or dt0s16 token id (prefix.PUBLIC, no secret part)",
            errors);
    }

    private static string? ReadFingerprint(Dictionary<string, string> tags, string name, List<string> errors) =>
        ReadTag(tags, name, text => text.Length == 64 && text.All(char.IsAsciiHexDigitLower) ? text : null, "64 lower-case hex characters (SHA-256 of the token)", errors);

    /// <summary>A rotation writes up to 13 tf- tags and keeps the operator's own; together they must fit Key Vault's 15.</summary>
    private static void CheckRoom(Dictionary<string, string> ours, Dictionary<string, string> other, TokenKind? kind, TimeSpan? lifetime, List<string> errors)
    {
        var written = 11 + (kind == TokenKind.ClassicApiToken ? 1 : 0) + (lifetime is null ? 0 : 1);
        if (other.Count + written > ManagedCredentialTags.MaxTags)
        {
            errors.Add($"too many tags: rotation writes {written} tf- tags and Key Vault allows {ManagedCredentialTags.MaxTags}, so at most {ManagedCredentialTags.MaxTags - written} other tags fit (found {other.Count})");
        }

        foreach (var (name, value) in ours.Concat(other))
        {
            if (value.Length > ManagedCredentialTags.MaxValueLength)
            {
                errors.Add($"tag '{Show(name)}' is longer than {ManagedCredentialTags.MaxValueLength} characters");
            }
        }
    }

    /// <summary>Untrusted tag text in an error message: secrets masked, length capped.</summary>
    private static string Show(string? text)
    {
        var redacted = Redaction.Redact(text) ?? string.Empty;
        return redacted.Length <= 64 ? redacted : string.Concat(redacted.AsSpan(0, 61), "...");
    }

    private readonly record struct VersionFacts(
        string SecretName, string SecretId, string? Version, DateTimeOffset? CreatedOn, DateTimeOffset? ExpiresOn, Dictionary<string, string> OtherTags);

    private readonly record struct PolicyTags(TokenKind? Kind, string? Target, string? Notify, TimeSpan? Period, TimeSpan? Overlap, TimeSpan? Lifetime);

    private readonly record struct IdentityTags(
        bool HasId,
        TokenId? TokenId,
        string? Fingerprint,
        TokenId? PreviousTokenId,
        string? PreviousFingerprint,
        CredentialStage Stage,
        string? RotationId,
        string? Owner);
}
