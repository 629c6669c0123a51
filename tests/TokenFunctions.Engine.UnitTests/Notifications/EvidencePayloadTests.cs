using System.Text;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using static TokenFunctions.Engine.UnitTests.Notifications.NotificationTestData;

namespace TokenFunctions.Engine.UnitTests.Notifications;

/// <summary>Evidence of use and a missing replacement reach every channel, merged into the incident's one message.</summary>
public sealed class EvidencePayloadTests
{
    private static readonly TokenOutcome Disabled = new()
    {
        TokenId = Platform,
        Outcome = TokenOutcomeKind.Disabled,
        Owner = "acct",
        Facts = TokenFacts.From(new PlatformTokenInfo { Id = Platform, UserUuid = "bob-uuid" }),
    };

    private static readonly UsageEvidence Used = new()
    {
        Since = T0,
        LastUsedAt = T0.AddMinutes(12),
        LastUsedFrom = "203.0.113.7",
        LastUsedFromField = "lastClientIp",
        AuditEntries = [new AccountAuditEntry { Timestamp = T0.AddMinutes(12), EventType = "WRITE", Resource = "settings", OriginAddress = "203.0.113.7" }],
    };

    [Fact]
    public void The_evidence_part_merges_into_the_disable_part_of_the_same_incident()
    {
        var kill = IncidentSummary.From(new KillResult([Disabled]), "incident-9", "github-alert", false, T0);
        var evidence = IncidentSummary.From(new KillResult([Disabled with { Evidence = Used }]), "incident-9", "github-alert", false, T0.AddSeconds(3));

        var line = Assert.Single(Assert.Single(IncidentSummary.MergeByIncident([kill, evidence])).Tokens);

        Assert.Equal(TokenOutcomeKind.Disabled, line.Outcome);
        Assert.Equal(T0.AddMinutes(12), line.LastUsedAt);
        Assert.Equal("203.0.113.7", line.LastUsedFrom);
        Assert.Contains("AFTER the leak was seen", line.Evidence, StringComparison.Ordinal);
        Assert.Contains("1 entry made with it", line.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_channel_shows_the_evidence_and_a_missing_replacement()
    {
        var outcome = Disabled with { Evidence = Used, ReplacementProblem = "CreationDisabled: classic API token creation is switched off in environment prod" };
        var view = IncidentView.Create(IncidentSummary.From(new KillResult([outcome]), "incident-10", "github-alert", false, T0), Options());

        foreach (var text in new[] { TeamsPayloadBuilder.Serialize(view), SlackPayloadBuilder.Serialize(view), GenericPayloadBuilder.Serialize(view) }.Select(Encoding.UTF8.GetString))
        {
            Assert.Contains("203.0.113.7", text, StringComparison.Ordinal);
            Assert.Contains("AFTER the leak was seen", text, StringComparison.Ordinal);
            Assert.Contains("classic API token creation is switched off in environment prod", text, StringComparison.Ordinal);
        }

        Assert.True(Assert.Single(view.Tokens).Line.NeedsHuman);
    }

    [Fact]
    public void An_incident_announced_without_evidence_is_announced_again_with_it()
    {
        var dedup = new IncidentDeduplicator(TimeSpan.FromHours(1), TimeProvider.System);
        var kill = IncidentSummary.From(new KillResult([Disabled]), "incident-11", "github-alert", false, T0);
        var evidence = IncidentSummary.From(new KillResult([Disabled with { Evidence = Used }]), "incident-11", "github-alert", false, T0);

        Assert.True(dedup.IsNew(kill));
        Assert.False(dedup.IsNew(kill));
        Assert.True(dedup.IsNew(evidence));
    }
}
