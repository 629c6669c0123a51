using System.Text.RegularExpressions;
using Azure;
using Azure.Security.KeyVault.Secrets;
using TokenFunctions.KeyVaultSandbox;
using static TokenFunctions.Engine.IntegrationTests.KeyVault.VaultClients;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary>The loopback vault through the real <see cref="SecretClient"/> (4.12.0) built by the app's factory: each call the app makes, with Key Vault's semantics.</summary>
public sealed partial class KeyVaultSandboxTests
{
    [Fact]
    public async Task A_set_secret_is_read_back_latest_and_by_version_under_Key_Vault_ids()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Production(vault);
        var (first, second) = (NewValue(), NewValue());
        var v1 = new KeyVaultSecret("ci-token", first) { Properties = { ContentType = "text/plain", Tags = { ["team"] = "obs" } } };

        var set1 = (await client.SetSecretAsync(v1, Ct)).Value;
        var set2 = (await client.SetSecretAsync("ci-token", second, Ct)).Value;
        var latest = (await client.GetSecretAsync("ci-token", cancellationToken: Ct)).Value;
        var byVersion = (await client.GetSecretAsync("ci-token", set1.Properties.Version, cancellationToken: Ct)).Value;

        Assert.Matches(VersionId(), set1.Properties.Version);
        Assert.Equal(new Uri(vault.VaultUri, $"secrets/ci-token/{set1.Properties.Version}"), set1.Id);
        Assert.Equal(vault.VaultUri, set1.Properties.VaultUri);
        Assert.Equal(set2.Properties.Version, latest.Properties.Version);
        SameValue(second, latest.Value);
        SameValue(first, byVersion.Value);
        Assert.Equal("text/plain", byVersion.Properties.ContentType);
        Assert.Equal("obs", byVersion.Properties.Tags["team"]);
        Assert.Empty(latest.Properties.Tags);
        Assert.Equal([set1.Properties.Version, set2.Properties.Version], vault.Versions("ci-token").Select(v => v.Version));
        SameValue(first, vault.Versions("ci-token")[0].Value);

        // The first request of a new client draws the bearer challenge; every request names an api-version.
        var requests = vault.Requests;
        Assert.Equal((KeyVaultOperation.SetSecret, false, 401), (requests[0].Operation, requests[0].Authenticated, requests[0].StatusCode));
        Assert.All(requests.Skip(1), r => Assert.Equal((true, 200), (r.Authenticated, r.StatusCode)));
        Assert.All(requests, r => Assert.Contains("api-version=", r.Query, StringComparison.Ordinal));
        Assert.Equal((3, 2), (vault.CallCount(KeyVaultOperation.SetSecret), vault.CallCount(KeyVaultOperation.GetSecret)));
        Assert.Equal(5, vault.RequestCount);
    }

    [Fact]
    public async Task Latest_is_the_newest_created_version_even_after_an_older_one_is_updated()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Production(vault);
        var old = (await client.SetSecretAsync("rotated", NewValue(), Ct)).Value;
        var current = vault.Seed("rotated", NewValue(), new Dictionary<string, string> { ["tf-stage"] = "current" });

        old.Properties.Tags["touched"] = "later";
        await client.UpdateSecretPropertiesAsync(old.Properties, Ct);
        var latest = (await client.GetSecretAsync("rotated", cancellationToken: Ct)).Value;
        var listed = await client.GetPropertiesOfSecretsAsync(Ct).SingleAsync(Ct);

        Assert.Equal(current.Version, latest.Properties.Version);
        SameValue(current.Value, latest.Value);
        Assert.Equal("current", listed.Tags["tf-stage"]);
        Assert.False(listed.Tags.ContainsKey("touched"));
        Assert.Equal("later", vault.Versions("rotated")[0].Tags["touched"]);
    }

    [Fact]
    public async Task Patch_applies_tags_expiry_content_type_and_enabled_and_keeps_what_it_does_not_carry()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Production(vault);
        var created = (await client.SetSecretAsync(new KeyVaultSecret("patched", NewValue()) { Properties = { ContentType = "text/plain", Tags = { ["a"] = "1", ["b"] = "2" } } }, Ct)).Value;
        var expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds());
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds());

        var properties = created.Properties;
        properties.Tags.Clear();
        properties.Tags["c"] = "3";
        properties.ExpiresOn = expires;
        properties.NotBefore = notBefore;
        properties.ContentType = "application/vnd.dynatrace.token";
        var updated = (await client.UpdateSecretPropertiesAsync(properties, Ct)).Value;

        var stored = vault.Versions("patched").Single();
        Assert.Equal(new Dictionary<string, string> { ["c"] = "3" }, stored.Tags);
        Assert.Equal((expires, notBefore, "application/vnd.dynatrace.token"), (stored.ExpiresOn, stored.NotBefore, stored.ContentType));
        Assert.Equal((expires, "3"), (updated.ExpiresOn, updated.Tags["c"]));

        // A body with only "enabled": tags, expiry and content type stay as they are.
        await client.UpdateSecretPropertiesAsync(new SecretProperties(created.Id) { Enabled = false }, Ct);

        stored = vault.Versions("patched").Single();
        Assert.False(stored.Enabled);
        Assert.Equal(("3", expires, "application/vnd.dynatrace.token"), (stored.Tags["c"], stored.ExpiresOn, stored.ContentType));
        var listed = await client.GetPropertiesOfSecretVersionsAsync("patched", Ct).SingleAsync(Ct);
        Assert.False(listed.Enabled);
    }

    [Fact]
    public async Task A_disabled_version_is_403_Forbidden_and_readable_again_once_re_enabled()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Production(vault);
        var seeded = vault.Seed("switched", NewValue(), enabled: false);

        var byVersion = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("switched", seeded.Version, cancellationToken: Ct));
        var latest = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("switched", cancellationToken: Ct));
        await client.UpdateSecretPropertiesAsync(new SecretProperties(seeded.Id) { Enabled = true }, Ct);
        var read = (await client.GetSecretAsync("switched", cancellationToken: Ct)).Value;

        Assert.Equal((403, "Forbidden"), (byVersion.Status, byVersion.ErrorCode));
        Assert.Contains("disabled secret", byVersion.Message, StringComparison.Ordinal);
        Assert.Equal((403, "Forbidden"), (latest.Status, latest.ErrorCode));
        SameValue(seeded.Value, read.Value);
    }

    [Fact]
    public async Task A_missing_secret_or_version_is_404_SecretNotFound_and_a_missing_secret_lists_no_versions()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Production(vault);
        vault.Seed("present", NewValue());

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("absent", cancellationToken: Ct));
        var missingVersion = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("present", new string('0', 32), cancellationToken: Ct));
        var patchMissing = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.UpdateSecretPropertiesAsync(new SecretProperties(new Uri(vault.VaultUri, $"secrets/absent/{new string('1', 32)}")) { Enabled = false }, Ct));
        var versions = await client.GetPropertiesOfSecretVersionsAsync("absent", Ct).ToListAsync(Ct);

        Assert.Equal((404, "SecretNotFound"), (missing.Status, missing.ErrorCode));
        Assert.Equal((404, "SecretNotFound"), (missingVersion.Status, missingVersion.ErrorCode));
        Assert.Equal((404, "SecretNotFound"), (patchMissing.Status, patchMissing.ErrorCode));
        Assert.Empty(versions);
    }

    [Fact]
    public async Task Names_are_case_insensitive_and_checked_and_tags_are_limited_to_fifteen()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Production(vault);
        var value = NewValue();
        await client.SetSecretAsync("Mixed-Case", value, Ct);
        var tooMany = new KeyVaultSecret("tagged", NewValue());
        for (var i = 0; i < 16; i++)
        {
            tooMany.Properties.Tags[$"t{i}"] = "x";
        }

        var read = (await client.GetSecretAsync("mixed-case", cancellationToken: Ct)).Value;
        var invalidName = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync("under_score", NewValue(), Ct));
        var tagError = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(tooMany, Ct));

        SameValue(value, read.Value);
        Assert.Equal("Mixed-Case", read.Name);
        Assert.Equal(["Mixed-Case"], vault.SecretNames);
        Assert.Equal((400, "BadParameter"), (invalidName.Status, invalidName.ErrorCode));
        Assert.Equal((400, "BadParameter"), (tagError.Status, tagError.ErrorCode));
        Assert.Empty(vault.Versions("tagged"));
    }

    [Fact]
    public async Task Lists_are_paged_with_nextLink_and_the_client_follows_every_page()
    {
        await using var vault = await VaultSandbox.StartAsync(new KeyVaultSandboxOptions { PageSize = 2 }, Ct);
        var client = Production(vault);
        foreach (var name in new[] { "e", "a", "d", "c", "b" })
        {
            vault.Seed(name, NewValue(), new Dictionary<string, string> { ["tf-kind"] = name });
        }

        var versions = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            versions.Add(vault.Seed("many", NewValue()).Version);
        }

        var secretPages = await client.GetPropertiesOfSecretsAsync(Ct).AsPages().ToListAsync(Ct);
        var versionPages = await client.GetPropertiesOfSecretVersionsAsync("many", Ct).AsPages().ToListAsync(Ct);

        Assert.Equal([2, 2, 2], secretPages.Select(p => p.Values.Count));
        var secrets = secretPages.SelectMany(p => p.Values).ToList();
        Assert.Equal(["a", "b", "c", "d", "e", "many"], secrets.Select(s => s.Name));
        Assert.All(secrets, s => Assert.Null(s.Version));
        Assert.All(secrets, s => Assert.False(s.Managed));
        Assert.Equal(["a", "b", "c", "d", "e"], secrets.Take(5).Select(s => s.Tags["tf-kind"]));
        Assert.Equal([2, 2, 1], versionPages.Select(p => p.Values.Count));
        Assert.Equal(versions, versionPages.SelectMany(p => p.Values).Select(v => v.Version));
        Assert.All(versionPages.SelectMany(p => p.Values), v => Assert.Equal(new Uri(vault.VaultUri, $"secrets/many/{v.Version}"), v.Id));
        Assert.Equal(3, vault.Requests.Count(r => r is { Operation: KeyVaultOperation.ListSecrets, Authenticated: true, StatusCode: 200 }));
        Assert.Equal(2, vault.Requests.Count(r => r.Operation == KeyVaultOperation.ListSecrets && r.Query.Contains("$skiptoken=", StringComparison.Ordinal)));
        Assert.Equal(3, vault.CallCount(KeyVaultOperation.ListSecretVersions));
    }

    [Fact]
    public async Task A_bearer_the_vault_did_not_issue_is_refused_with_the_challenge()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("guarded", NewValue());
        var client = Fast(vault, maxRetries: 0, credential: new StaticTokenCredential("eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("guarded", cancellationToken: Ct));

        Assert.Equal((401, "Unauthorized"), (error.Status, error.ErrorCode));
        Assert.All(vault.Requests, r => Assert.Equal((false, 401), (r.Authenticated, r.StatusCode)));
        Assert.Equal(2, vault.Requests.Count);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex VersionId();
}
