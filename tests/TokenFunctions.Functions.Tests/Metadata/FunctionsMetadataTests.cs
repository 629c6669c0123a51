using System.Reflection;
using System.Text.Json.Nodes;
using TokenFunctions.Functions.Tests.Hosting;

namespace TokenFunctions.Functions.Tests.Metadata;

/// <summary>
/// The <c>functions.metadata</c> the Worker.Sdk generates into the app's output (copied beside these tests with the app's
/// other output): what the Functions host actually indexes, checked field by field against the [Function] methods.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly JsonArray Entries = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!;

    private static JsonObject Entry(string name) => Entries.Select(e => e!.AsObject()).Single(e => (string?)e["name"] == name);

    private static JsonObject Binding(string function, string name) =>
        Entry(function)["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => (string?)b["name"] == name);

    [Fact]
    public void Has_one_entry_per_function_method_and_each_points_at_a_real_public_method_of_the_app_dll()
    {
        Assert.Equal(FunctionClasses.Methods.Select(FunctionClasses.NameOf).Order(StringComparer.Ordinal), Entries.Select(e => (string)e!["name"]!).Order(StringComparer.Ordinal));
        Assert.All(Entries.Select(e => e!.AsObject()), entry =>
        {
            Assert.Equal("TokenFunctions.dll", (string?)entry["scriptFile"]);
            Assert.Equal("dotnet-isolated", (string?)entry["language"]);
            var entryPoint = (string)entry["entryPoint"]!;
            var type = FunctionClasses.App.GetType(entryPoint[..entryPoint.LastIndexOf('.')], throwOnError: true)!;
            var method = type.GetMethod(entryPoint[(entryPoint.LastIndexOf('.') + 1)..], BindingFlags.Public | BindingFlags.Instance);
            Assert.NotNull(method);
            Assert.Equal((string?)entry["name"], FunctionClasses.NameOf(method!));
        });
    }

    [Theory]
    [InlineData("GitHubSecretScanningAlert", "webhooks/github", "post")]
    [InlineData("GitHubPartnerReport", "webhooks/github-partner", "post")]
    [InlineData("GitGuardianIncident", "webhooks/gitguardian", "post")]
    [InlineData("GenericScannerReport", "webhooks/generic", "post")]
    [InlineData("GitLabRevokeTokens", "gitlab/v1/revoke_tokens", "post")]
    [InlineData("GitLabRevocableTokenTypes", "gitlab/v1/revocable_token_types", "get")]
    [InlineData("AuditTrailQuery", "audit", "get")]
    public void Http_functions_declare_an_http_trigger_with_route_method_and_function_key_and_an_http_result(string function, string route, string method)
    {
        var bindings = Entry(function)["bindings"]!.AsArray();
        Assert.Equal(2, bindings.Count);

        var trigger = Binding(function, "request");
        Assert.Equal("httpTrigger", (string?)trigger["type"]);
        Assert.Equal("In", (string?)trigger["direction"]);
        Assert.Equal("Function", (string?)trigger["authLevel"]);
        Assert.Equal(route, (string?)trigger["route"]);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => (string)m!));

        var result = Binding(function, "$return");
        Assert.Equal("http", (string?)result["type"]);
        Assert.Equal("Out", (string?)result["direction"]);
    }

    [Fact]
    public void The_incident_queue_trigger_reads_its_queue_from_settings_uses_the_identity_connection_and_never_auto_completes()
    {
        var bindings = Entry("IncidentQueueMessage")["bindings"]!.AsArray();
        var trigger = Assert.Single(bindings)!.AsObject(); // ServiceBusMessageActions is bound in the worker, not declared to the host.

        Assert.Equal("message", (string?)trigger["name"]);
        Assert.Equal("serviceBusTrigger", (string?)trigger["type"]);
        Assert.Equal("In", (string?)trigger["direction"]);
        Assert.Equal("%IncidentQueueName%", (string?)trigger["queueName"]);
        Assert.Equal("ServiceBusConnection", (string?)trigger["connection"]);
        Assert.False((bool)trigger["autoCompleteMessages"]!);
        Assert.Equal("One", (string?)trigger["cardinality"]);
        Assert.False(trigger.ContainsKey("isSessionsEnabled") && (bool)trigger["isSessionsEnabled"]!);

        // ServiceBusReceivedMessage (and the settlement actions) need the SDK-type binding the host offers only when asked.
        Assert.Equal("True", (string?)trigger["properties"]!["supportsDeferredBinding"]);
    }

    [Theory]
    [InlineData("ScheduledRotationTimer", "%RotationSchedule%")]
    [InlineData("SweepTimer", "%SweepSchedule%")]
    [InlineData("ReconciliationTimer", "%ReconciliationSchedule%")]
    [InlineData("HygieneReportTimer", "%HygieneSchedule%")]
    public void Timers_take_their_schedule_from_an_app_setting_the_sample_defines(string function, string schedule)
    {
        var trigger = Assert.Single(Entry(function)["bindings"]!.AsArray())!.AsObject();

        Assert.Equal("timer", (string?)trigger["name"]);
        Assert.Equal("timerTrigger", (string?)trigger["type"]);
        Assert.Equal(schedule, (string?)trigger["schedule"]);
        Assert.False(trigger.ContainsKey("runOnStartup") && (bool)trigger["runOnStartup"]!);
        Assert.True(SampleSettings.Values.TryGetValue(schedule.Trim('%'), out var value) && value!.Split(' ').Length == 6, $"{schedule} is a six-field NCRONTAB in the sample settings.");
    }

    [Fact]
    public void Every_percent_setting_the_bindings_name_is_in_the_sample_settings()
    {
        var names = Entries.SelectMany(e => e!["bindings"]!.AsArray())
            .SelectMany(b => b!.AsObject().Select(p => p.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)p.Value : null))
            .OfType<string>()
            .Where(v => v.StartsWith('%') && v.EndsWith('%'))
            .Select(v => v.Trim('%'))
            .Append("ServiceBusConnection")
            .Distinct();

        Assert.All(names, n => Assert.True(SampleSettings.Values.ContainsKey(n), $"{n} is missing from local.settings.sample.json."));
    }
}
