using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Incidents;
using TokenFunctions.Sources;

namespace TokenFunctions.Functions.Tests.Metadata;

/// <summary>The bindings are the adapters' contract with the host: checked by reflection, as the host reads them.</summary>
public sealed class TriggerBindingTests
{
    private static readonly Assembly App = typeof(IncidentQueueMessage).Assembly;

    private static IEnumerable<MethodInfo> Functions() => App.GetTypes()
        .SelectMany(t => t.GetMethods())
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    [Fact]
    public void Every_http_trigger_requires_a_function_key()
    {
        var http = Functions()
            .Select(m => m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null))
            .Where(a => a is not null)
            .ToList();

        Assert.NotEmpty(http);
        Assert.All(http, a => Assert.Equal(AuthorizationLevel.Function, a!.AuthLevel));
    }

    [Theory]
    [InlineData(typeof(GitHubSecretScanningAlert), "webhooks/github", "post")]
    [InlineData(typeof(GitHubPartnerReport), "webhooks/github-partner", "post")]
    [InlineData(typeof(GitGuardianIncident), "webhooks/gitguardian", "post")]
    [InlineData(typeof(GenericScannerReport), "webhooks/generic", "post")]
    [InlineData(typeof(GitLabRevokeTokens), "gitlab/v1/revoke_tokens", "post")]
    [InlineData(typeof(GitLabRevocableTokenTypes), "gitlab/v1/revocable_token_types", "get")]
    [InlineData(typeof(TokenFunctions.Audit.AuditTrailQuery), "audit", "get")]
    public void Webhook_routes_are_stable(Type function, string route, string method)
    {
        var trigger = function.GetMethod("Run")!.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()!;
        Assert.Equal(route, trigger.Route);
        Assert.Equal([method], trigger.Methods ?? []);
    }

    [Fact]
    public void Incident_queue_trigger_settles_explicitly_and_has_no_retry_attribute()
    {
        var run = typeof(IncidentQueueMessage).GetMethod(nameof(IncidentQueueMessage.Run))!;
        var trigger = run.GetParameters()[0].GetCustomAttribute<ServiceBusTriggerAttribute>()!;

        Assert.False(trigger.AutoCompleteMessages);
        Assert.Equal("%IncidentQueueName%", trigger.QueueName);
        Assert.Equal("ServiceBusConnection", trigger.Connection);
        Assert.Empty(run.GetCustomAttributes<RetryAttribute>());
        Assert.Contains(run.GetParameters(), p => p.ParameterType == typeof(ServiceBusMessageActions));
    }

    [Theory]
    [InlineData(typeof(TokenFunctions.Rotation.ScheduledRotationTimer), "%RotationSchedule%")]
    [InlineData(typeof(TokenFunctions.Rotation.SweepTimer), "%SweepSchedule%")]
    [InlineData(typeof(TokenFunctions.Rotation.ReconciliationTimer), "%ReconciliationSchedule%")]
    [InlineData(typeof(TokenFunctions.Rotation.HygieneReportTimer), "%HygieneSchedule%")]
    public void Timers_read_their_schedule_from_app_settings_and_do_not_run_on_startup(Type function, string schedule)
    {
        var trigger = function.GetMethod("Run")!.GetParameters()[0].GetCustomAttribute<TimerTriggerAttribute>()!;
        Assert.Equal(schedule, trigger.Schedule);
        Assert.False(trigger.RunOnStartup);
    }

    [Fact]
    public void Function_names_are_unique_and_match_their_class()
    {
        var names = Functions().Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>()!.Name, Class: m.DeclaringType!.Name)).ToList();
        Assert.Equal(names.Count, names.Select(n => n.Function).Distinct().Count());
        Assert.All(names, n => Assert.Equal(n.Class, n.Function));
    }
}
