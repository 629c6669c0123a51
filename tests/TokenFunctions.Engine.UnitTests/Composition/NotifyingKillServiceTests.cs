using Microsoft.Extensions.Time.Testing;
using Moq;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Composition;

public sealed class NotifyingKillServiceTests
{
    [Fact]
    public async Task One_notification_per_incident_after_the_decision()
    {
        var a = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA");
        var b = TokenId.Parse("dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB");
        var c = TokenId.Parse("dt0c01.CCCCCCCCCCCCCCCCCCCCCCCC");
        var request = new KillRequest(
        [
            Leak.FromId(a, "generic", "INC-1"),
            Leak.FromId(b, "generic", "INC-1"),
            Leak.FromId(c, "github-alert", "INC-2"),
        ]);
        var outcomes = new KillResult(
        [
            new TokenOutcome { TokenId = a, Outcome = TokenOutcomeKind.Disabled },
            new TokenOutcome { TokenId = b, Outcome = TokenOutcomeKind.NotFound },
            new TokenOutcome { TokenId = c, Outcome = TokenOutcomeKind.AlreadyDisabled },
        ]);

        var summaries = new List<IncidentSummary>();
        var notifier = new Mock<IIncidentNotifier>();
        notifier.Setup(n => n.NotifyAsync(It.IsAny<IncidentSummary>(), It.IsAny<CancellationToken>()))
            .Callback<IncidentSummary, CancellationToken>((s, _) => summaries.Add(s))
            .Returns(Task.CompletedTask);

        var result = await NotifyingKillService.NotifyPerIncidentAsync(request, outcomes, notifier.Object, new FakeTimeProvider());

        Assert.Same(outcomes, result);
        Assert.Equal(["INC-1", "INC-2"], summaries.Select(s => s.CorrelationId).Order());
    }
}
