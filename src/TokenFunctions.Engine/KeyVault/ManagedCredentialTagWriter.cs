using TokenFunctions.Engine.Primitives;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>The tags of a version this app writes: the policy, the identity of the value, and the rotation bookkeeping.</summary>
public static class ManagedCredentialTagWriter
{
    public static Dictionary<string, string> ToTags(ManagedCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var tags = new Dictionary<string, string>(credential.OtherTags, StringComparer.Ordinal)
        {
            [ManagedCredentialTags.TokenId] = credential.TokenId.Value,
            [ManagedCredentialTags.Fingerprint] = credential.Fingerprint,
            [ManagedCredentialTags.Kind] = CredentialPolicy.KindTag(credential.Policy.Kind),
            [ManagedCredentialTags.Target] = credential.Policy.Target,
            [ManagedCredentialTags.RotationPeriod] = Duration.FormatTag(credential.Policy.RotationPeriod),
            [ManagedCredentialTags.Overlap] = Duration.FormatTag(credential.Policy.Overlap),
            [ManagedCredentialTags.Notify] = credential.Policy.Notify,
            [ManagedCredentialTags.Stage] = credential.Stage == CredentialStage.Pending ? "pending" : "current",
        };
        Put(tags, ManagedCredentialTags.Lifetime, credential.Policy.Lifetime is { } l ? Duration.FormatTag(l) : null);
        Put(tags, ManagedCredentialTags.RotationId, credential.RotationId);
        Put(tags, ManagedCredentialTags.PreviousTokenId, credential.PreviousTokenId?.Value);
        Put(tags, ManagedCredentialTags.PreviousFingerprint, credential.PreviousFingerprint);
        Put(tags, ManagedCredentialTags.TokenOwner, Truncate(credential.TokenOwner));
        return tags;
    }

    private static void Put(Dictionary<string, string> tags, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            tags[name] = value;
        }
    }

    private static string? Truncate(string? value) =>
        value is { Length: > ManagedCredentialTags.MaxValueLength } ? value[..ManagedCredentialTags.MaxValueLength] : value;
}
