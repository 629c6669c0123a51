using Azure;
using Moq;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.KeyVault.Support;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.KeyVault;

public sealed class KeyVaultManagedCredentialIndexTests
{
    [Fact]
    public async Task Finds_a_managed_credential_by_token_id_and_by_fingerprint_without_reading_any_secret()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("ci-token");

        var byId = await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None);
        var byFingerprint = await h.Catalog.FindByFingerprintAsync(TokenFingerprint.Of(token.Secret).ToUpperInvariant(), CancellationToken.None);

        Assert.Equal(new ManagedCredentialRef("ci-token", token.Id, RotationHarness.Environment), byId);
        Assert.Equal(byId, byFingerprint);
        Assert.False(byId!.IsPrevious);
        h.Vault.Mock.Verify(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
        h.Vault.Mock.Verify(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Azure.Security.KeyVault.Secrets.SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task The_token_a_rotation_replaced_still_matches_as_previous()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic("ci-token");
        await h.RotateAsync("ci-token");

        var byId = await h.Catalog.FindByTokenIdAsync(old.Id, CancellationToken.None);
        var byFingerprint = await h.Catalog.FindByFingerprintAsync(TokenFingerprint.Of(old.Secret), CancellationToken.None);

        Assert.True(byId!.IsPrevious);
        Assert.Equal(old.Id, byId.TokenId);
        Assert.Equal("ci-token", byId.SecretName);
        Assert.Equal(byId, byFingerprint);
        Assert.False((await h.Catalog.FindByTokenIdAsync(h.CurrentToken("ci-token").Id, CancellationToken.None))!.IsPrevious);
    }

    [Fact]
    public async Task Unknown_tokens_and_fingerprints_are_not_found()
    {
        var h = new RotationHarness();
        h.EnrollClassic("ci-token");

        Assert.Null(await h.Catalog.FindByTokenIdAsync(TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA"), CancellationToken.None));
        Assert.Null(await h.Catalog.FindByFingerprintAsync(new string('0', 64), CancellationToken.None));
        Assert.Null(await h.Catalog.FindByFingerprintAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task Listings_are_cached_and_a_miss_refreshes_at_most_every_miss_interval()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("ci-token");
        await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None);
        await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None);
        Assert.Equal(1, h.Vault.ListCalls);

        // Enrolled a moment ago: the first miss within the miss interval does not re-list; after it, it does.
        var later = h.EnrollClassic("new-token");
        Assert.Null(await h.Catalog.FindByTokenIdAsync(later.Id, CancellationToken.None));
        Assert.Equal(1, h.Vault.ListCalls);
        h.Time.Advance(h.KeyVaultOptions.IndexMissRefreshInterval);
        Assert.NotNull(await h.Catalog.FindByTokenIdAsync(later.Id, CancellationToken.None));
        Assert.Equal(2, h.Vault.ListCalls);

        // The cache ages out.
        h.Time.Advance(h.KeyVaultOptions.IndexCacheDuration);
        await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None);
        Assert.Equal(3, h.Vault.ListCalls);

        // A rotation invalidates it.
        await h.RotateAsync("ci-token");
        await h.Catalog.FindByTokenIdAsync(h.CurrentToken("ci-token").Id, CancellationToken.None);
        Assert.Equal(4, h.Vault.ListCalls);
    }

    [Fact]
    public async Task Concurrent_lookups_share_one_listing()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("ci-token");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None))));

        Assert.Equal(1, h.Vault.ListCalls);
    }

    [Fact]
    public async Task Misconfigured_secrets_are_reported_in_the_snapshot_not_thrown()
    {
        var h = new RotationHarness();
        var good = h.EnrollClassic("good");
        var bad = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "x", ["a"]);
        h.Vault.Seed("bad-period", bad.Secret, RotationHarness.Tags(bad, "classic", RotationHarness.Environment, "often", "2d"));
        h.Vault.Seed("unknown-env", bad.Secret, RotationHarness.Tags(bad, "classic", "staging", "90d", "2d"));
        var platform = h.Dynatrace.Issue(RotationHarness.Account, TokenKind.PlatformToken, "p", ["a"]);
        h.Vault.Seed("unknown-account", platform.Secret, RotationHarness.Tags(platform, "platform", "nope", "90d", "2d"));
        h.Vault.Seed("unadopted", bad.Secret, RotationHarness.Tags(bad, "classic", RotationHarness.Environment, "90d", "2d", adopted: false));
        h.Vault.Seed("not-ours", "anything");

        var snapshot = await h.Catalog.GetSnapshotAsync(refresh: true, CancellationToken.None);

        Assert.Contains(snapshot.Credentials, c => c.SecretName == "good" && c.TokenId == good.Id);
        Assert.DoesNotContain(snapshot.Credentials, c => c.SecretName is "bad-period" or "unknown-env" or "unknown-account" or "not-ours");
        Assert.Contains(snapshot.Problems, p => p.SecretName == "bad-period" && p.Errors.Any(e => e.Contains("tf-rotation-period", StringComparison.Ordinal)));
        Assert.Contains(snapshot.Problems, p => p.SecretName == "unknown-env" && p.Errors.Single().Contains("environment 'staging', which is not configured", StringComparison.Ordinal));
        Assert.Contains(snapshot.Problems, p => p.SecretName == "unknown-account" && p.Errors.Single().Contains("account 'nope'", StringComparison.Ordinal));
        Assert.Equal("unadopted", Assert.Single(snapshot.Unadopted).SecretName);
    }

    [Fact]
    public async Task Two_secrets_claiming_one_token_are_both_distrusted()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("first");
        h.Vault.Seed("second", token.Secret, RotationHarness.Tags(token, "classic", RotationHarness.Environment, "90d", "2d"));

        var snapshot = await h.Catalog.GetSnapshotAsync(refresh: true, CancellationToken.None);

        Assert.Null(snapshot.FindByTokenId(token.Id));
        Assert.Equal(2, snapshot.Problems.Count(p => p.Errors.Any(e => e.Contains("also claimed", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_Key_Vault_outage_surfaces_to_the_caller_as_unavailable_and_is_still_a_failed_vault_request()
    {
        var h = new RotationHarness();
        h.Vault.OnList = () => InMemoryKeyVault.Failure(503, "ServiceUnavailable");

        var thrown = await Assert.ThrowsAsync<ManagedCredentialIndexUnavailableException>(() => h.Catalog.FindByTokenIdAsync(h.Primary.Id, CancellationToken.None));
        Assert.IsAssignableFrom<RequestFailedException>(thrown);
        Assert.Equal(503, thrown.Status);
        Assert.Equal(h.Time.GetUtcNow() + h.KeyVaultOptions.OutageCacheDuration, thrown.RetryAt);
    }

    [Fact]
    public async Task An_unreachable_vault_is_an_outage_whatever_the_SDK_wraps_it_in_and_is_asked_once_per_outage_period()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("ci-token");
        var asked = 0;

        // What the SDK throws after its retries against a vault that does not answer: an AggregateException of attempts.
        h.Vault.OnList = () =>
        {
            asked++;
            return new AggregateException("Retry failed after 4 tries.", Enumerable.Range(0, 4).Select(_ => new RequestFailedException(0, "connection refused", new HttpRequestException("refused"))));
        };

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ManagedCredentialIndexUnavailableException>(() => h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
        }

        Assert.Equal(1, asked);

        // Past the outage period the vault is asked again; once it answers, lookups work and the outage is forgotten.
        h.Time.Advance(h.KeyVaultOptions.OutageCacheDuration);
        h.Vault.OnList = null;
        Assert.NotNull(await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
    }

    [Fact]
    public async Task During_an_outage_a_hit_in_the_last_listing_is_served_and_a_miss_is_unavailable()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("ci-token");
        Assert.NotNull(await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
        h.Time.Advance(h.KeyVaultOptions.IndexCacheDuration);
        h.Vault.OnList = () => InMemoryKeyVault.Failure(500);

        Assert.NotNull(await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
        await Assert.ThrowsAsync<ManagedCredentialIndexUnavailableException>(() => h.Catalog.FindByTokenIdAsync(TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA"), CancellationToken.None));
    }

    [Fact]
    public async Task A_refusal_is_not_an_outage_and_is_not_cached()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("ci-token");
        h.Vault.OnList = () => InMemoryKeyVault.Failure(403, "Forbidden");

        var thrown = await Assert.ThrowsAsync<RequestFailedException>(() => h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
        Assert.Equal(403, thrown.Status);
        h.Vault.OnList = null;
        Assert.NotNull(await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
    }
}
