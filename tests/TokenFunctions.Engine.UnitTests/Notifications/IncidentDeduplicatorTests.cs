using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using static TokenFunctions.Engine.UnitTests.Notifications.NotificationTestData;

namespace TokenFunctions.Engine.UnitTests.Notifications;

public sealed class IncidentDeduplicatorTests
{
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public void The_same_incident_and_outcomes_are_new_once_per_window()
    {
        var dedup = new IncidentDeduplicator(TimeSpan.FromHours(1), _time);

        Assert.True(dedup.IsNew(Mixed()));
        Assert.False(dedup.IsNew(Mixed()));
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(dedup.IsNew(Mixed()));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(dedup.IsNew(Mixed()));
    }

    [Fact]
    public void Changed_outcomes_or_another_incident_are_news()
    {
        var dedup = new IncidentDeduplicator(TimeSpan.FromHours(1), _time);
        var summary = Mixed();

        Assert.True(dedup.IsNew(summary));
        Assert.True(dedup.IsNew(Mixed("incident-2")));
        Assert.True(dedup.IsNew(summary with { Tokens = [.. summary.Tokens.Take(3), summary.Tokens[3] with { Outcome = TokenOutcomeKind.Disabled }] }));
        Assert.True(dedup.IsNew(summary with { DryRun = true }));
    }

    [Fact]
    public void A_zero_window_turns_deduplication_off()
    {
        var dedup = new IncidentDeduplicator(TimeSpan.Zero, _time);
        Assert.True(dedup.IsNew(Mixed()));
        Assert.True(dedup.IsNew(Mixed()));
    }
}
