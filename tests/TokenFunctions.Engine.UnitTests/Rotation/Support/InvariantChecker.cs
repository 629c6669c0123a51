using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Primitives;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

/// <summary>
/// The three promises rotation makes, checked from the outside (Key Vault and Dynatrace as they are, not what the state
/// row claims):
/// 1. no lost secret: every managed credential's newest Key Vault version holds a token that works;
/// 2. no orphan: every token that works has its secret in some Key Vault version;
/// 3. at most one usable token per credential outside its overlap window: a version's token still works only while the
///    version was superseded less than the overlap ago.
/// </summary>
public static class InvariantChecker
{
    public static IReadOnlyList<string> Violations(RotationHarness harness, params string[] credentials)
    {
        ArgumentNullException.ThrowIfNull(harness);
        var violations = new List<string>();
        var now = harness.Time.GetUtcNow();
        var tokens = harness.Dynatrace.Tokens;
        var held = harness.Vault.AllVersions().Select(v => v.Value).ToHashSet(StringComparer.Ordinal);

        foreach (var name in credentials)
        {
            var versions = harness.Vault.Versions(name);
            var latest = versions[^1];
            var current = tokens.FirstOrDefault(t => t.Secret == latest.Value);
            if (current is null || !harness.Dynatrace.IsUsable(current))
            {
                violations.Add($"lost secret: {name}'s newest version holds {current?.Id.Value ?? "an unknown token"}, which does not work");
            }

            var overlap = latest.Tags.TryGetValue(ManagedCredentialTags.Overlap, out var text) && Duration.TryParseTag(text, out var o) ? o : TimeSpan.Zero;
            for (var i = 0; i < versions.Count - 1; i++)
            {
                if (versions[i].Value == latest.Value)
                {
                    continue; // restored by a rollback: it is the current token again
                }

                var token = tokens.FirstOrDefault(t => t.Secret == versions[i].Value);
                var supersededAt = versions[i + 1].CreatedOn;
                if (token is not null && harness.Dynatrace.IsUsable(token) && now >= supersededAt + overlap)
                {
                    violations.Add($"second usable token: {name} version {i} ({token.Id}) still works {now - supersededAt} after it was replaced (overlap {overlap})");
                }
            }
        }

        foreach (var token in tokens.Where(harness.Dynatrace.IsUsable))
        {
            if (!held.Contains(token.Secret))
            {
                violations.Add($"orphan: {token.Id} ('{token.Name}') works but no Key Vault version holds its secret");
            }
        }

        return violations;
    }

    public static void AssertHolds(RotationHarness harness, params string[] credentials)
    {
        var violations = Violations(harness, credentials);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
