using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using static TokenFunctions.Engine.UnitTests.Notifications.NotificationTestData;

namespace TokenFunctions.Engine.UnitTests.Notifications;

public sealed class IncidentSummaryTests
{
    [Fact]
    public void A_kill_switch_result_becomes_one_summary_with_owners_replacements_and_counts()
    {
        var summary = Mixed();

        Assert.Equal("incident-1", summary.CorrelationId);
        Assert.Equal("github-alert", summary.Source);
        Assert.Equal(4, summary.Tokens.Count);
        Assert.Equal("alice@example.com", summary.Tokens[0].TokenOwner);
        Assert.Equal("prod-env", summary.Tokens[0].Environment);
        Assert.Equal("https://kv-tokens.vault.azure.net/secrets/ci-token", summary.Tokens[0].ReplacementLocation);
        Assert.Equal("7f1c2d3e-uuid-bob", summary.Tokens[1].TokenOwner);
        Assert.True(summary.NeedsHuman);
        Assert.Equal(
            [KeyValuePair.Create(TokenOutcomeKind.Disabled, 1), KeyValuePair.Create(TokenOutcomeKind.AlreadyDisabled, 1), KeyValuePair.Create(TokenOutcomeKind.Unsupported, 1), KeyValuePair.Create(TokenOutcomeKind.Protected, 1)],
            summary.Counts);
    }

    [Fact]
    public void No_field_of_a_summary_can_hold_a_secret()
    {
        var summary = Mixed() with { CorrelationId = "x " + Secret, Source = Secret };
        var texts = summary.Tokens.SelectMany(t => new[] { t.Detail, t.Environment, t.TokenOwner, t.ReplacementLocation })
            .Append(summary.CorrelationId).Append(summary.Source).OfType<string>();
        Assert.All(texts, t => Assert.DoesNotContain(SecretPart, t, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TokenOutcomeKind.Protected, true)]
    [InlineData(TokenOutcomeKind.Denied, true)]
    [InlineData(TokenOutcomeKind.NotFound, true)]
    [InlineData(TokenOutcomeKind.Unsupported, true)]
    [InlineData(TokenOutcomeKind.CannotDisableOwnCredential, true)]
    [InlineData(TokenOutcomeKind.Disabled, false)]
    [InlineData(TokenOutcomeKind.AlreadyDisabled, false)]
    [InlineData(TokenOutcomeKind.WouldDisable, false)]
    [InlineData(TokenOutcomeKind.Failed, false)]
    public void Exactly_the_outcomes_a_machine_cannot_finish_ask_a_human(TokenOutcomeKind outcome, bool human)
    {
        Assert.Equal(human, HumanActions.For(outcome) is not null);
        Assert.Equal(human, new IncidentTokenLine { TokenId = Classic, Outcome = outcome }.NeedsHuman);
    }

    [Fact]
    public void Summaries_of_one_incident_merge_into_one_and_others_stay_apart()
    {
        var first = IncidentSummary.From(new KillResult([new TokenOutcome { TokenId = Classic, Outcome = TokenOutcomeKind.Disabled, ReplacementLocation = "kv/a" }]), "inc-1", "queue", false, T0);
        var second = IncidentSummary.From(new KillResult(
        [
            new TokenOutcome { TokenId = Classic, Outcome = TokenOutcomeKind.AlreadyDisabled },
            new TokenOutcome { TokenId = Platform, Outcome = TokenOutcomeKind.Failed },
        ]), "inc-1", "queue", false, T0.AddMinutes(1));
        var third = IncidentSummary.From(new KillResult([new TokenOutcome { TokenId = Platform, Outcome = TokenOutcomeKind.Disabled }]), "inc-1", "queue", false, T0.AddMinutes(2));
        var other = IncidentSummary.From(new KillResult([new TokenOutcome { TokenId = OAuth, Outcome = TokenOutcomeKind.Unsupported }]), "inc-2", "queue", false, T0);

        var merged = IncidentSummary.MergeByIncident([first, second, other, third]);

        Assert.Equal(2, merged.Count);
        var one = merged.Single(m => m.CorrelationId == "inc-1");
        Assert.Equal(T0, one.OccurredAt);
        Assert.Equal([Classic, Platform], one.Tokens.Select(t => t.TokenId));

        // AlreadyDisabled on a redelivery does not hide that this incident disabled it; the later retry result wins.
        Assert.Equal(TokenOutcomeKind.Disabled, one.Tokens[0].Outcome);
        Assert.Equal("kv/a", one.Tokens[0].ReplacementLocation);
        Assert.Equal(TokenOutcomeKind.Disabled, one.Tokens[1].Outcome);
    }

    [Fact]
    public void A_token_reported_twice_in_one_result_is_one_line()
    {
        var summary = IncidentSummary.From(new KillResult(
        [
            new TokenOutcome { TokenId = Classic, Outcome = TokenOutcomeKind.Disabled },
            new TokenOutcome { TokenId = Classic, Outcome = TokenOutcomeKind.AlreadyDisabled },
        ]), "inc", "queue", false, T0);

        var line = Assert.Single(summary.Tokens);
        Assert.Equal(TokenOutcomeKind.Disabled, line.Outcome);
    }
}
