using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>Alert rules and the workbook watch what the app actually emits (metric names from TokenFunctionsMetrics).</summary>
[Collection(InfraCollection.Name)]
public sealed class MonitoringTests(InfraFixture infra)
{
    [Fact]
    public void Dead_letter_alert_watches_the_incident_queue_on_the_namespace()
    {
        var snapshot = infra.Staging;
        var alert = snapshot.Named("Microsoft.Insights/metricAlerts", "-incident-deadletters");
        var criterion = alert.At("criteria.allOf")!.AsArray().Single()!;

        Assert.Equal([snapshot.Single("Microsoft.ServiceBus/namespaces").Id], alert.At("scopes")!.AsArray().Select(s => (string)s!));
        Assert.Equal("DeadletteredMessages", (string?)criterion["metricName"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, criterion["threshold"]!.GetValue<int>());
        var dimension = criterion["dimensions"]!.AsArray().Single()!;
        Assert.Equal("EntityName", (string?)dimension["name"]);
        Assert.Equal(["incidents"], dimension["values"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(1, alert.At("severity")!.GetValue<int>());
    }

    [Theory]
    [InlineData("-leak-not-contained", "tokenfunctions.tokens.outcomes", "GreaterThan")]
    [InlineData("-function-failures", "requests", "GreaterThan")]
    [InlineData("-rotation-overdue", "tokenfunctions.rotations", "LessThan")]
    [InlineData("-audit-failures", "tokenfunctions.audit.failures", "GreaterThan")]
    [InlineData("-work-interrupted", "tokenfunctions.tokens.outcomes", "GreaterThan")]
    public void Log_alert_queries_application_insights_for_its_signal(string nameSuffix, string signal, string comparison)
    {
        var snapshot = infra.Staging;
        var rule = snapshot.Named("Microsoft.Insights/scheduledQueryRules", nameSuffix);
        var criterion = rule.At("criteria.allOf")!.AsArray().Single()!;

        Assert.Equal([snapshot.Single("Microsoft.Insights/components").Id], rule.At("scopes")!.AsArray().Select(s => (string)s!));
        Assert.Contains(signal, (string)criterion["query"]!, StringComparison.Ordinal);
        Assert.Equal(comparison, (string?)criterion["operator"]);
        Assert.Contains((string)criterion["metricMeasureColumn"]!, (string)criterion["query"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(rule.Prop("description")));
    }

    [Fact]
    public void Leak_not_contained_fires_on_every_outcome_that_needs_a_human()
    {
        var query = Query(infra.Default, "-leak-not-contained");
        foreach (var outcome in new[] { "Failed", "Denied", "CannotDisableOwnCredential", "Unsupported", "Protected", "Unaddressable", "SecretNotVerified" })
        {
            Assert.Contains($"'{outcome}'", query, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("'Disabled'", query, StringComparison.Ordinal);
        Assert.DoesNotContain("Interrupted", query, StringComparison.Ordinal);
    }

    /// <summary>
    /// The outcomes that are left out of "leak not contained" on purpose (docs/runbook.md, "Alerts and what to do"): Interrupted has
    /// its own low-severity alert, and NotFound most often means the token is gone (deleted, or reported again after it was
    /// revoked); its notification still asks a person to find it, so it pages nobody.
    /// </summary>
    private static readonly TokenOutcomeKind[] NotAlerted = [TokenOutcomeKind.Interrupted, TokenOutcomeKind.NotFound];

    [Fact]
    public void Leak_not_contained_lists_exactly_the_classifiers_human_and_retry_outcomes_but_the_documented_exceptions()
    {
        var query = Query(infra.Default, "-leak-not-contained");
        var list = Regex.Match(query, @"where outcome in~ \(([^)]*)\)");
        Assert.True(list.Success, query);
        var alerted = list.Groups[1].Value.Split(',').Select(o => o.Trim().Trim('\'')).ToHashSet(StringComparer.Ordinal);

        var expected = OutcomeClassifier.Rules
            .Where(r => r.NeedsHuman || r.Class == OutcomeClass.Retry)
            .Select(r => r.Kind)
            .Except(NotAlerted)
            .Select(k => k.ToString())
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected, alerted);
        Assert.All(NotAlerted, k => Assert.True(OutcomeClassifier.Rule(k).NeedsHuman || OutcomeClassifier.Classify(k) == OutcomeClass.Retry, $"{k} is no exception"));
        var runbookRow = File.ReadLines(RepositoryRoot.Combine("docs", "runbook.md")).Single(l => l.StartsWith("| `leak-not-contained`", StringComparison.Ordinal));
        Assert.All(NotAlerted, k => Assert.Contains($"not `{k}`", runbookRow, StringComparison.Ordinal));
    }

    [Fact]
    public void Interrupted_work_has_its_own_low_severity_alert_apart_from_failures()
    {
        var rule = infra.Default.Named("Microsoft.Insights/scheduledQueryRules", "-work-interrupted");
        var query = Query(infra.Default, "-work-interrupted");

        Assert.Contains("=~ 'Interrupted'", query, StringComparison.Ordinal);
        Assert.DoesNotContain("'Failed'", query, StringComparison.Ordinal);
        Assert.Equal(3, rule.At("severity")!.GetValue<int>());
        Assert.Equal(20, rule.At("criteria.allOf")!.AsArray().Single()!["threshold"]!.GetValue<int>());
        Assert.Contains("runbook: \"Work interrupted\"", rule.Prop("description")!, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_overdue_counts_healthy_outcomes_over_the_configured_window()
    {
        var rule = infra.Default.Named("Microsoft.Insights/scheduledQueryRules", "-rotation-overdue");
        var query = Query(infra.Default, "-rotation-overdue");

        Assert.Contains("in~ ('Rotated', 'NotDue')", query, StringComparison.Ordinal);
        Assert.DoesNotContain("__", query, StringComparison.Ordinal);
        Assert.Equal("P2D", rule.Prop("windowSize"));
        // "Nothing recorded" must evaluate as 0, not as an empty result that never fires.
        Assert.Contains("coalesce(healthy, 0.0)", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_failures_ignore_rejected_requests()
    {
        Assert.Contains("not(resultCode startswith '4')", Query(infra.Default, "-function-failures"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_notifies_the_action_group_when_one_is_given_and_none_otherwise()
    {
        Assert.All(Alerts(infra.Staging), a => Assert.Equal([InfraFixture.ActionGroupId], ActionGroups(a)));
        Assert.All(Alerts(infra.Default), a => Assert.Empty(ActionGroups(a)));
        Assert.Equal(6, Alerts(infra.Staging).Count);
    }

    [Fact]
    public void Workbook_shows_latency_histogram_outcomes_over_time_and_open_dead_letters()
    {
        var snapshot = infra.Staging;
        var workbook = snapshot.Single("Microsoft.Insights/workbooks");
        var component = snapshot.Single("Microsoft.Insights/components").Id;
        Assert.Equal(component, workbook.Prop("sourceId"));

        var data = workbook.Prop("serializedData")!;
        Assert.DoesNotContain("__", data, StringComparison.Ordinal);
        var items = JsonNode.Parse(data)!["items"]!.AsArray().Select(i => i!).ToList();

        var histogram = Item(items, "alert-to-disabled-histogram");
        Assert.Contains("tokenfunctions.alert_to_disabled.duration", (string)histogram["content"]!["query"]!, StringComparison.Ordinal);
        Assert.Equal("barchart", (string?)histogram["content"]!["visualization"]);

        var outcomes = Item(items, "token-outcomes-over-time");
        Assert.Contains("tokenfunctions.tokens.outcomes", (string)outcomes["content"]!["query"]!, StringComparison.Ordinal);
        Assert.Contains("by outcome", (string)outcomes["content"]!["query"]!, StringComparison.Ordinal);
        Assert.Equal("timechart", (string?)outcomes["content"]!["visualization"]);

        var deadLetters = Item(items, "open-deadletters")["content"]!;
        Assert.Equal([snapshot.Single("Microsoft.ServiceBus/namespaces").Id], deadLetters["resourceIds"]!.AsArray().Select(r => (string)r!));
        Assert.EndsWith("--DeadletteredMessages", (string)deadLetters["metrics"]![0]!["metric"]!, StringComparison.Ordinal);
        Assert.Equal(["incidents"], deadLetters["filters"]![0]!["values"]!.AsArray().Select(v => (string)v!));

        Assert.All(
            items.Where(i => (int)i["type"]! == 3),
            i => Assert.Equal([component], i["content"]!["crossComponentResources"]!.AsArray().Select(r => (string)r!)));
    }

    private static JsonNode Item(List<JsonNode> items, string name) =>
        items.SingleOrDefault(i => (string?)i["name"] == name) ?? throw new Xunit.Sdk.XunitException($"Workbook has no item named {name}.");

    private static string Query(DeploymentSnapshot snapshot, string nameSuffix) =>
        (string)snapshot.Named("Microsoft.Insights/scheduledQueryRules", nameSuffix).At("criteria.allOf")!.AsArray().Single()!["query"]!;

    private static List<PredictedResource> Alerts(DeploymentSnapshot snapshot) =>
        [.. snapshot.OfType("Microsoft.Insights/metricAlerts"), .. snapshot.OfType("Microsoft.Insights/scheduledQueryRules")];

    private static List<string> ActionGroups(PredictedResource alert) =>
        alert.Type.EndsWith("metricAlerts", StringComparison.OrdinalIgnoreCase)
            ? alert.At("actions")!.AsArray().Select(a => (string)a!["actionGroupId"]!).ToList()
            : alert.At("actions.actionGroups")!.AsArray().Select(a => (string)a!).ToList();
}
