using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

/// <summary>The app's own management credentials are managed credentials, rotated through their partner credential.</summary>
public sealed class SelfRotationTests
{
    [Fact]
    public async Task The_primary_is_created_verified_and_retired_through_the_secondary()
    {
        var h = new RotationHarness();
        var oldPrimary = h.Primary;

        var result = await h.RotateAsync(RotationHarness.PrimarySecret);
        h.Time.Advance(TimeSpan.FromDays(1));
        await h.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var created = Assert.Single(h.Factory!.Created);
        Assert.Equal(RotationHarness.SecondarySecret, created.Credential.KeyVaultSecretName);
        Assert.Equal(RotationHarness.PrimarySecret, created.SecondaryCredential!.KeyVaultSecretName);
        Assert.Equal(h.Secondary!.Id.Value, Assert.Single(h.Dynatrace.Calls, c => c.Op == "create").ActingTokenId);
        var disable = Assert.Single(h.Dynatrace.Calls, c => c.Op == "disable" && c.TokenId == oldPrimary.Id);
        Assert.Equal(h.Secondary.Id.Value, disable.ActingTokenId);
        Assert.True(disable.Succeeded);
        Assert.False(oldPrimary.Enabled);
        InvariantChecker.AssertHolds(h, RotationHarness.PrimarySecret, RotationHarness.SecondarySecret);
    }

    [Fact]
    public async Task The_secondary_is_rotated_through_the_primary()
    {
        var h = new RotationHarness();
        var oldSecondary = h.Secondary!;

        await h.RotateAsync(RotationHarness.SecondarySecret);
        h.Time.Advance(TimeSpan.FromDays(1));
        await h.Sweep.RunAsync(CancellationToken.None);

        Assert.Empty(h.Factory!.Created);
        Assert.Equal(h.Primary.Id.Value, Assert.Single(h.Dynatrace.Calls, c => c.Op == "create").ActingTokenId);
        Assert.Equal(h.Primary.Id.Value, Assert.Single(h.Dynatrace.Calls, c => c.Op == "disable" && c.Succeeded).ActingTokenId);
        Assert.False(oldSecondary.Enabled);
        InvariantChecker.AssertHolds(h, RotationHarness.PrimarySecret, RotationHarness.SecondarySecret);
    }

    [Fact]
    public async Task A_leaked_and_already_disabled_primary_is_replaced_through_the_secondary()
    {
        var h = new RotationHarness();
        h.Dynatrace.Disable(h.Primary.Id); // the kill-switch, acting with the secondary

        var secretId = (await h.Leak.ReplaceLeakedAsync(new TokenOutcome { TokenId = h.Primary.Id, Outcome = TokenOutcomeKind.Disabled }, "incident-3", CancellationToken.None))?.Location;

        Assert.NotNull(secretId);
        var newPrimary = h.CurrentToken(RotationHarness.PrimarySecret);
        Assert.True(h.Dynatrace.IsUsable(newPrimary));

        // The directory's client reads Key Vault's newest version: it now acts as the new primary.
        var probe = await h.Directory.Environments[0].GetAsync(h.Primary.Id, CancellationToken.None);
        Assert.True(probe.IsOk);
        Assert.Equal(newPrimary.Id.Value, h.Dynatrace.Calls[^1].ActingTokenId);
        InvariantChecker.AssertHolds(h, RotationHarness.PrimarySecret, RotationHarness.SecondarySecret);
    }

    [Fact]
    public async Task After_a_self_rotation_a_caching_credential_provider_is_told_to_read_the_new_version()
    {
        var h = new RotationHarness();
        var cache = new FakeCredentialProvider { Resolve = r => h.Vault.Latest(r.KeyVaultSecretName!)?.Value, Caching = true };
        h.Listeners.Add(new CredentialProviderRotationListener(cache));
        h.Restart();
        h.Dynatrace.ResolveCredential = cache.Read;
        Assert.True((await h.Directory.Environments[0].ListAsync(new ApiTokenQuery(), CancellationToken.None)).IsOk);
        Assert.Equal(h.Primary.Id.Value, h.Dynatrace.Calls[^1].ActingTokenId);

        await h.RotateAsync(RotationHarness.PrimarySecret);
        h.Time.Advance(TimeSpan.FromDays(1));
        await h.Sweep.RunAsync(CancellationToken.None); // the old primary is disabled now

        var call = await h.Directory.Environments[0].ListAsync(new ApiTokenQuery(), CancellationToken.None);
        Assert.True(call.IsOk);
        Assert.Equal(h.CurrentToken(RotationHarness.PrimarySecret).Id.Value, h.Dynatrace.Calls[^1].ActingTokenId);
        Assert.Contains(RotationHarness.PrimarySecret, cache.Invalidated);
    }

    [Fact]
    public async Task Without_a_secondary_credential_the_primary_is_refused_with_a_clear_reason()
    {
        var h = new RotationHarness(withSecondary: false);

        var result = await h.RotateAsync(RotationHarness.PrimarySecret);

        Assert.Equal(RotationOutcome.Refused, result.Outcome);
        Assert.Contains("SecondaryCredential", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, h.Dynatrace.CreatedCount);
    }

    [Fact]
    public async Task Without_a_client_factory_the_primary_is_refused_rather_than_rotated_by_itself()
    {
        var h = new RotationHarness(withFactory: false);

        var result = await h.RotateAsync(RotationHarness.PrimarySecret);

        Assert.Equal(RotationOutcome.Refused, result.Outcome);
        Assert.Contains(nameof(IDynatraceClientFactory), result.Detail, StringComparison.Ordinal);
    }
}
