using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Sources.Deliveries;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>The delivery-claim semantics every implementation must keep; run against the in-memory and the Table one.</summary>
public abstract class DeliveryClaimsContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected abstract IDeliveryClaims Claims { get; }

    protected string Source { get; } = "src" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task First_claim_wins_and_a_concurrent_duplicate_is_in_progress()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        var second = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        Assert.Equal(ClaimStatus.Claimed, first.Status);
        Assert.Equal(ClaimStatus.InProgress, second.Status);
    }

    [Fact]
    public async Task Completed_deliveries_are_answered_as_duplicates()
    {
        var key = Guid.NewGuid().ToString();
        var claim = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        await Claims.CompleteAsync(claim, CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(ClaimStatus.AlreadyCompleted, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task An_abandoned_claim_is_retryable_after_its_lease()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(ClaimStatus.Claimed, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimStatus.InProgress, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
        Time.Advance(TimeSpan.FromSeconds(2));
        var retry = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        Assert.Equal(ClaimStatus.Claimed, retry.Status);
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(ClaimStatus.InProgress, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_released_claim_is_claimable_at_once()
    {
        var key = Guid.NewGuid().ToString();
        var claim = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        await Claims.ReleaseAsync(claim, CancellationToken.None);
        Assert.Equal(ClaimStatus.Claimed, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_stale_release_does_not_free_a_later_attempt()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None);
        Assert.Equal(ClaimStatus.Claimed, second.Status);
        await Claims.ReleaseAsync(first, CancellationToken.None);
        Assert.Equal(ClaimStatus.InProgress, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Records_expire_after_their_retention()
    {
        var key = Guid.NewGuid().ToString();
        var claim = await Claims.ClaimAsync(Source, key, Lease, TimeSpan.FromMinutes(10), CancellationToken.None);
        await Claims.CompleteAsync(claim, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(ClaimStatus.Claimed, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Keys_with_characters_storage_forbids_are_kept_apart()
    {
        var a = await Claims.ClaimAsync(Source, "sig:sha256=ab/cd#?", Lease, Retention, CancellationToken.None);
        var b = await Claims.ClaimAsync(Source, "sig:sha256=ab/cd#!", Lease, Retention, CancellationToken.None);
        Assert.Equal(ClaimStatus.Claimed, a.Status);
        Assert.Equal(ClaimStatus.Claimed, b.Status);
        Assert.Equal(ClaimStatus.InProgress, (await Claims.ClaimAsync(Source, "sig:sha256=ab/cd#?", Lease, Retention, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Sources_do_not_share_keys()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(ClaimStatus.Claimed, (await Claims.ClaimAsync(Source, key, Lease, Retention, CancellationToken.None)).Status);
        Assert.Equal(ClaimStatus.Claimed, (await Claims.ClaimAsync(Source + "x", key, Lease, Retention, CancellationToken.None)).Status);
    }
}
