using Azure.Security.KeyVault.Secrets;
using Moq;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.KeyVault.Support;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class CredentialRotatorTests
{
    private const string Secret = "ci-ingest-token";

    [Fact]
    public async Task Classic_rotation_creates_a_replacement_with_the_same_scopes_stores_it_verifies_it_and_retires_the_old_one()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, period: "90d", overlap: "2d", scopes: ["metrics.ingest", "logs.ingest", "events.ingest"]);

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var current = h.CurrentToken(Secret);
        Assert.NotEqual(old.Id, current.Id);
        Assert.Equal(current.Id, result.NewTokenId);
        Assert.Equal(["metrics.ingest", "logs.ingest", "events.ingest"], current.Scopes);
        Assert.Equal($"{Secret} [tf:tokenfunctions:{result.RotationId}]", current.Name);

        // Expiry from policy: rotation period + overlap + margin (14 days by default).
        Assert.Equal(RotationHarness.Start + TimeSpan.FromDays(90 + 2 + 14), current.Expiration);

        // Owned by the owner of the credential that created it, recorded in the tag and the audit trail.
        Assert.Equal(RotationHarness.ServiceOwner, current.Owner);
        var latest = h.Vault.Latest(Secret)!;
        Assert.Equal(RotationHarness.ServiceOwner, latest.Tags[ManagedCredentialTags.TokenOwner]);
        Assert.Contains(h.Audit.Records, r => r.Action == "rotate-verify" && r.BlastRadius?.TokenOwner == RotationHarness.ServiceOwner);

        // The new version: content type, expiry, complete tags, stage current.
        Assert.Equal(ManagedCredentialTags.ContentType, latest.ContentType);
        Assert.Equal(current.Expiration, latest.ExpiresOn);
        Assert.Equal("current", latest.Tags[ManagedCredentialTags.Stage]);
        Assert.Equal(current.Id.Value, latest.Tags[ManagedCredentialTags.TokenId]);
        Assert.Equal(TokenFingerprint.Of(current.Secret), latest.Tags[ManagedCredentialTags.Fingerprint]);
        Assert.Equal(result.RotationId, latest.Tags[ManagedCredentialTags.RotationId]);
        Assert.Equal(old.Id.Value, latest.Tags[ManagedCredentialTags.PreviousTokenId]);
        Assert.Equal(TokenFingerprint.Of(old.Secret), latest.Tags[ManagedCredentialTags.PreviousFingerprint]);
        Assert.Equal("90d", latest.Tags[ManagedCredentialTags.RotationPeriod]);
        Assert.Equal(result.SecretId, latest.Id.ToString());

        // Scheduled rotation: the old token keeps working through the overlap window.
        Assert.True(old.Enabled);
        var row = await h.Store.GetAsync(Secret, CancellationToken.None);
        var retiring = Assert.Single(row!.Retiring);
        Assert.Equal(old.Id, retiring.TokenId);
        Assert.Equal(RotationHarness.Start + TimeSpan.FromDays(2), retiring.DisableAfter);
        Assert.Equal(RotationHarness.Start + TimeSpan.FromDays(9), retiring.DeleteAfter);
        Assert.Null(row.Active);
        Assert.Null(row.LeaseHolder);
        Assert.Equal("Rotated", row.LastOutcome);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Sweep_disables_the_old_token_when_the_overlap_ends_and_deletes_it_after_the_grace_period()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, overlap: "2d");
        await h.RotateAsync(Secret);

        h.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        var early = await h.Sweep.RunAsync(CancellationToken.None);
        Assert.Equal(0, early.Disabled);
        Assert.True(old.Enabled);

        h.Time.Advance(TimeSpan.FromMinutes(2));
        var disabled = await h.Sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, disabled.Disabled);
        Assert.False(old.Enabled);
        Assert.False(old.Deleted);
        InvariantChecker.AssertHolds(h, Secret);

        h.Time.Advance(TimeSpan.FromDays(7));
        var deleted = await h.Sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, deleted.Deleted);
        Assert.True(old.Deleted);
        Assert.Empty((await h.Store.GetAsync(Secret, CancellationToken.None))!.Retiring);

        // Repeating is harmless.
        var again = await h.Sweep.RunAsync(CancellationToken.None);
        Assert.Empty(again.Items);
    }

    [Fact]
    public async Task Platform_rotation_copies_scopes_resources_tags_and_user_and_verifies_through_the_account_api()
    {
        var h = new RotationHarness();
        var old = h.EnrollPlatform("automation-platform-token");

        var result = await h.RotateAsync("automation-platform-token");

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var current = h.CurrentToken("automation-platform-token");
        Assert.Equal(TokenKind.PlatformToken, current.Id.Kind);
        Assert.Equal(old.Scopes, current.Scopes);
        Assert.Equal(["urn:dtenvironment:abc12345"], current.Resources);
        Assert.Equal(old.UserUuid, current.UserUuid);
        Assert.Contains(h.Dynatrace.Calls, c => c.Op == "find" && c.TokenId == current.Id && c.Succeeded);
        Assert.False(h.Vault.Latest("automation-platform-token")!.Tags.ContainsKey(ManagedCredentialTags.TokenOwner));
        InvariantChecker.AssertHolds(h, "automation-platform-token");
    }

    [Fact]
    public async Task Key_Vault_refusing_the_write_disables_and_deletes_the_token_just_created()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Vault.OnSet = s => s.Name == Secret ? InMemoryKeyVault.Failure(403, "Forbidden") : null;

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Failed, result.Outcome);
        Assert.Contains("403", result.Detail, StringComparison.Ordinal);
        var created = Assert.Single(h.Dynatrace.Tokens, t => t.Name.Contains("[tf:", StringComparison.Ordinal));
        Assert.False(created.Enabled);
        Assert.True(created.Deleted);
        Assert.Equal(old.Id, h.CurrentToken(Secret).Id);
        Assert.True(old.Enabled);
        var row = await h.Store.GetAsync(Secret, CancellationToken.None);
        Assert.Null(row!.Active);
        Assert.Equal("Abandoned", row.LastOutcome);
        Assert.Equal(1, row.ConsecutiveFailures);
        Assert.Contains(h.Audit.Records, r => r.Action == "rotate-compensate" && r.TokenId == created.Id && r.Outcome == "Deleted");
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Key_Vault_write_that_timed_out_but_landed_is_adopted_not_killed()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);
        h.Vault.AfterSet = s => s.Name == Secret ? InMemoryKeyVault.Failure(503, "ServiceUnavailable") : null;

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        Assert.True(h.Dynatrace.IsUsable(h.CurrentToken(Secret)));
        Assert.Contains(h.Audit.Records, r => r.Action == "rotate-store" && r.Outcome == "Adopted");
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Key_Vault_write_failing_with_5xx_and_not_landing_kills_the_created_token()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);
        h.Vault.OnSet = s => s.Name == Secret ? InMemoryKeyVault.Failure(500, "InternalServerError") : null;

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Failed, result.Outcome);
        Assert.All(h.Dynatrace.Tokens.Where(t => t.Name.Contains("[tf:", StringComparison.Ordinal)), t => Assert.True(t.Deleted));
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task When_the_created_token_cannot_be_disabled_either_the_next_reconciliation_kills_it()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);
        h.Vault.OnSet = s => s.Name == Secret ? InMemoryKeyVault.Failure(403, "Forbidden") : null;
        h.Dynatrace.Fault = (op, _) => op == "disable" ? DynatraceStatus.Transient : null;

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Pending, result.Outcome);
        Assert.NotEmpty(InvariantChecker.Violations(h, Secret)); // the orphan still works right now

        h.Dynatrace.Fault = null;
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Restart();
        var reconciliation = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Single(reconciliation.Resumed, r => r.Outcome == RotationOutcome.Failed);
        InvariantChecker.AssertHolds(h, Secret);
        Assert.Null((await h.Store.GetAsync(Secret, CancellationToken.None))!.Active);
    }

    [Fact]
    public async Task A_token_that_fails_verification_is_rolled_back_the_old_value_restored_and_the_new_token_killed()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Fault = (op, _) => op == "verify" ? DynatraceStatus.Unauthorized : null;

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.RolledBack, result.Outcome);
        Assert.Equal(old.Id, h.CurrentToken(Secret).Id);
        var latest = h.Vault.Latest(Secret)!;
        Assert.Equal(old.Id.Value, latest.Tags[ManagedCredentialTags.TokenId]);
        Assert.Equal(3, h.Vault.Versions(Secret).Count);
        var created = h.Dynatrace.Find(result.NewTokenId!.Value)!;
        Assert.True(created.Deleted);
        Assert.True(old.Enabled);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Transient_verification_failures_wait_for_the_next_run_and_roll_back_after_the_attempt_budget()
    {
        var h = new RotationHarness(configure: o => o.MaxVerifyAttempts = 2);
        h.EnrollClassic(Secret);
        h.Dynatrace.Fault = (op, _) => op == "verify" ? DynatraceStatus.Transient : null;

        var first = await h.RotateAsync(Secret);
        Assert.Equal(RotationOutcome.Pending, first.Outcome);
        Assert.Equal(RotationStep.Stored, (await h.Store.GetAsync(Secret, CancellationToken.None))!.Active!.Step);

        h.Restart();
        var second = await h.Rotator.ResumeAsync(Secret, "test", "test", CancellationToken.None);
        Assert.Equal(RotationOutcome.RolledBack, second!.Outcome);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task A_request_naming_a_token_that_is_no_longer_current_does_nothing()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        var first = await h.RotateAsync(Secret, expected: old.Id);
        var created = h.Dynatrace.CreatedCount;

        var second = await h.RotateAsync(Secret, RotationTrigger.Leak, expected: old.Id);

        Assert.Equal(RotationOutcome.AlreadyRotated, second.Outcome);
        Assert.Equal(first.NewTokenId, second.NewTokenId);
        Assert.Equal(created, h.Dynatrace.CreatedCount);
    }

    [Fact]
    public async Task Secrets_that_are_not_managed_or_wrongly_tagged_are_reported_not_rotated()
    {
        var h = new RotationHarness();
        h.Vault.Seed("plain-secret", "hello");
        var token = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "x", ["metrics.ingest"]);
        var tags = RotationHarness.Tags(token, "classic", RotationHarness.Environment, "90 days", "2d");
        h.Vault.Seed("bad-tags", token.Secret, tags);

        Assert.Equal(RotationOutcome.NotManaged, (await h.RotateAsync("plain-secret")).Outcome);
        Assert.Equal(RotationOutcome.NotManaged, (await h.RotateAsync("missing-secret")).Outcome);
        var invalid = await h.RotateAsync("bad-tags");
        Assert.Equal(RotationOutcome.Invalid, invalid.Outcome);
        Assert.Contains("tf-rotation-period", invalid.Detail, StringComparison.Ordinal);
        Assert.Equal(0, h.Dynatrace.CreatedCount);
    }

    [Fact]
    public async Task A_value_replaced_by_hand_without_its_tags_is_refused()
    {
        var h = new RotationHarness();
        var enrolled = h.EnrollClassic(Secret);
        var other = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "other", ["metrics.ingest"]);
        h.Vault.Seed(Secret, other.Secret, h.Vault.Latest(Secret)!.Tags);

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Invalid, result.Outcome);
        Assert.Contains("does not match", result.Detail, StringComparison.Ordinal);
        Assert.True(enrolled.Enabled);
        Assert.Equal(0, h.Dynatrace.CreatedCount);
    }

    [Fact]
    public async Task Nothing_in_audit_records_carries_a_token_secret()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);
        h.EnrollPlatform("platform-token");
        await h.RotateAsync(Secret);
        await h.RotateAsync("platform-token", RotationTrigger.Leak);
        h.Time.Advance(TimeSpan.FromDays(30));
        await h.RunTimersAsync();

        var text = string.Join("\n", h.Audit.AllText());
        Assert.NotEmpty(h.Audit.Records);
        foreach (var secret in h.AllSecrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret.Split('.')[2], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_failing_audit_sink_does_not_stop_a_rotation()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);
        h.Audit.Fault = () => new InvalidOperationException("table storage down");

        var result = await h.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Rotation_uses_the_three_argument_GetSecretAsync_and_a_versioned_update()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);

        await h.RotateAsync(Secret);

        h.Vault.Mock.Verify(c => c.GetSecretAsync(Secret, It.IsAny<string>(), It.IsAny<CancellationToken>()), Moq.Times.AtLeastOnce());
        h.Vault.Mock.Verify(c => c.UpdateSecretPropertiesAsync(It.Is<SecretProperties>(p => p.Version != null), It.IsAny<CancellationToken>()), Moq.Times.Once());
    }
}
