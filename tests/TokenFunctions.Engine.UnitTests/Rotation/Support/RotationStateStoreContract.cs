using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

/// <summary>
/// What every <see cref="IRotationStateStore"/> must do; run against the in-memory store (unit tests) and the Table
/// Storage store on Azurite (integration tests), so the fake the unit tests rely on behaves like the real thing.
/// </summary>
public abstract class RotationStateStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IRotationStateStore> CreateStoreAsync();

    [Fact]
    public async Task The_first_holder_gets_the_row_and_others_wait_until_its_lease_expires()
    {
        var store = await CreateStoreAsync();
        var until = Time.GetUtcNow() + TimeSpan.FromMinutes(10);

        var first = await store.TryAcquireAsync("ci-token", "a", until, Ct);
        var second = await store.TryAcquireAsync("ci-token", "b", until, Ct);
        var again = await store.TryAcquireAsync("ci-token", "a", until, Ct);

        Assert.NotNull(first);
        Assert.Equal("a", first.LeaseHolder);
        Assert.Null(second);
        Assert.NotNull(again);

        Time.Advance(TimeSpan.FromMinutes(10));
        var takeover = await store.TryAcquireAsync("ci-token", "b", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct);
        Assert.Equal("b", takeover!.LeaseHolder);

        // The slow first holder finds out on its next write.
        Assert.Null(await store.SaveAsync(again with { LastError = "late" }, Ct));
        Assert.Null((await store.GetAsync("ci-token", Ct))!.LastError);
    }

    [Fact]
    public async Task A_save_with_a_stale_ETag_is_refused_and_a_fresh_one_accepted()
    {
        var store = await CreateStoreAsync();
        var held = (await store.TryAcquireAsync("ci-token", "a", Time.GetUtcNow() + TimeSpan.FromMinutes(1), Ct))!;

        var saved = await store.SaveAsync(held with { LastOutcome = "one" }, Ct);
        var stale = await store.SaveAsync(held with { LastOutcome = "two" }, Ct);
        var fresh = await store.SaveAsync(saved! with { LastOutcome = "three" }, Ct);

        Assert.NotNull(saved);
        Assert.NotEqual(held.ETag, saved.ETag);
        Assert.Null(stale);
        Assert.Equal("three", (await store.GetAsync("ci-token", Ct))!.LastOutcome);
        Assert.Equal(fresh!.ETag, (await store.GetAsync("ci-token", Ct))!.ETag);
    }

    [Fact]
    public async Task Rotation_records_and_retiring_tokens_round_trip_exactly()
    {
        var store = await CreateStoreAsync();
        var held = (await store.TryAcquireAsync("ci-token", "a", Time.GetUtcNow() + TimeSpan.FromMinutes(1), Ct))!;
        var now = Time.GetUtcNow();
        var active = new RotationRecord
        {
            RotationId = "0123456789abcdef0123456789abcdef",
            Step = RotationStep.Stored,
            Trigger = RotationTrigger.Leak,
            CorrelationId = "incident-1",
            RequestedBy = "alice",
            Target = "prod",
            OldTokenId = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN"),
            OldFingerprint = new string('a', 64),
            OldVersion = "v1",
            Overlap = TimeSpan.FromDays(2),
            Scopes = ["metrics.ingest", "logs.ingest"],
            Resources = ["urn:dtenvironment:abc"],
            PlatformTags = ["team:x"],
            UserUuid = "u-1",
            PersonalAccessToken = false,
            StartedAt = now,
            NewExpiresAt = now + TimeSpan.FromDays(100),
            NewTokenId = TokenId.Parse("dt0s16.TYUHJKNM"),
            NewVersion = "v2",
            NewSecretId = "https://kv/secrets/ci-token/v2",
            NewTokenOwner = "svc@example.com",
            CreateAttempts = 2,
            VerifyAttempts = 1,
            Reason = "why",
        };
        RetiringToken[] retiring =
        [
            new() { TokenId = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA"), Target = "prod", RotationId = active.RotationId, DisableAfter = now, DeleteAfter = now + TimeSpan.FromDays(7) },
            new() { TokenId = TokenId.Parse("dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB"), Target = "prod", RotationId = active.RotationId, DisableAfter = now, DeleteAfter = now, DisabledAt = now },
        ];

        await store.SaveAsync(held with { Active = active, Retiring = retiring, ConsecutiveFailures = 3, LastFinishedAt = now }, Ct);
        var read = (await store.GetAsync("ci-token", Ct))!;

        Assert.Equal(active with { Scopes = read.Active!.Scopes, Resources = read.Active.Resources, PlatformTags = read.Active.PlatformTags }, read.Active);
        Assert.Equal(active.Scopes, read.Active.Scopes);
        Assert.Equal(active.Resources, read.Active.Resources);
        Assert.Equal(active.PlatformTags, read.Active.PlatformTags);
        Assert.Equal(retiring, read.Retiring);
        Assert.Equal(3, read.ConsecutiveFailures);
        Assert.Equal(now, read.LastFinishedAt);
        Assert.Equal("ci-token", read.SecretName);
    }

    [Fact]
    public async Task Clearing_the_record_and_releasing_the_lease_lets_anyone_take_the_row_at_once()
    {
        var store = await CreateStoreAsync();
        var held = (await store.TryAcquireAsync("ci-token", "a", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct))!;
        var saved = await store.SaveAsync(held with { LeaseHolder = null, LeaseUntil = null, Active = null }, Ct);

        Assert.NotNull(saved);
        Assert.NotNull(await store.TryAcquireAsync("ci-token", "b", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct));
    }

    [Fact]
    public async Task Names_differing_only_in_case_are_one_credential()
    {
        var store = await CreateStoreAsync();

        Assert.NotNull(await store.TryAcquireAsync("CI-Token", "a", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct));
        Assert.Null(await store.TryAcquireAsync("ci-token", "b", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct));
    }

    [Fact]
    public async Task Of_many_concurrent_takers_exactly_one_wins()
    {
        var store = await CreateStoreAsync();
        await store.TryAcquireAsync("contended", "seed", Time.GetUtcNow() - TimeSpan.FromSeconds(1), Ct); // an expired lease

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.TryAcquireAsync("contended", $"holder-{i}", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct))));
        var fresh = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.TryAcquireAsync("brand-new", $"holder-{i}", Time.GetUtcNow() + TimeSpan.FromMinutes(10), Ct))));

        Assert.Single(results, r => r is not null);
        Assert.Single(fresh, r => r is not null);
    }

    [Fact]
    public async Task Lists_every_row_and_reads_a_missing_one_as_null()
    {
        var store = await CreateStoreAsync();
        await store.TryAcquireAsync("one", "a", Time.GetUtcNow(), Ct);
        await store.TryAcquireAsync("two", "a", Time.GetUtcNow(), Ct);

        var rows = await store.ListAsync(Ct);

        Assert.Equal(["one", "two"], rows.Select(r => r.SecretName).Order(StringComparer.Ordinal));
        Assert.Null(await store.GetAsync("three", Ct));
    }
}
