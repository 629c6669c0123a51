using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class RequestPacingTests
{
    [Fact]
    public void Turns_are_handed_out_one_interval_apart_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var pacer = new RequestPacer(time);

        var first = pacer.WaitTurnAsync(10, CancellationToken.None);
        var second = pacer.WaitTurnAsync(10, CancellationToken.None);
        var third = pacer.WaitTurnAsync(10, CancellationToken.None);

        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(second.IsCompleted);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(third.IsCompleted);
    }

    [Fact]
    public void Idle_time_is_not_saved_up_into_a_burst()
    {
        var time = new FakeTimeProvider();
        var pacer = new RequestPacer(time);
        Assert.True(pacer.WaitTurnAsync(10, CancellationToken.None).IsCompleted);

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(pacer.WaitTurnAsync(10, CancellationToken.None).IsCompleted);
        Assert.False(pacer.WaitTurnAsync(10, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void A_rate_of_zero_means_no_pacing()
    {
        var pacer = new RequestPacer(new FakeTimeProvider());
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(pacer.WaitTurnAsync(0, CancellationToken.None).IsCompleted));
    }

    [Fact]
    public async Task Account_calls_are_paced_by_default_below_200_per_minute()
    {
        using var h = new KillHarness(accounts: 1);
        h.Settings.Remove("MaxRequestsPerSecondPerAccount"); // the shipped default
        var first = TokenSecret.Parse(TestTokens.RandomPlatform(1));
        var second = TokenSecret.Parse(TestTokens.RandomPlatform(2));
        h.Accounts[0].Add(first.Id);
        h.Accounts[0].Add(second.Id);

        // The first write takes the account's first slot; the next one is due 1/3.2 s later on the fake clock.
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await h.DisableAsync(Leak.FromSecret(first, "s", "c"))).Outcomes).Outcome);
        var run = h.DisableAsync(Leak.FromSecret(second, "s", "c"));

        h.Time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Single(h.Accounts[0].Writes);
        Assert.False(run.IsCompleted);

        h.Time.Advance(TimeSpan.FromMilliseconds(13));
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await run).Outcomes).Outcome);
        Assert.Equal(2, h.Accounts[0].Writes.Count);
        Assert.Equal(0, h.Accounts[0].Finds);
    }
}
