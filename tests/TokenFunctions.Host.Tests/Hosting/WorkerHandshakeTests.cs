using System.Text.Json;

namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>The host's side of the contract: what the worker declared, loaded and reported when it started.</summary>
[Collection(HostedAppCollection.Name)]
public sealed class WorkerHandshakeTests(HostedApp app)
{
    [Fact]
    public void Every_function_the_build_generated_is_declared_by_the_worker_and_loaded_with_its_trigger()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuiltApp.Directory, "functions.metadata")));
        var generated = metadata.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).GetProperty("type").GetString());

        Assert.Equal(generated.Keys.Order(), app.Host.Functions.Keys.Order());
        Assert.All(app.Host.Functions.Values, f => Assert.Equal(generated[f.Name], f.TriggerType));
        Assert.Equal(12, app.Host.Functions.Count);
        Assert.Equal("%IncidentQueueName%", app.Host.Functions["IncidentQueueMessage"].QueueName);
        Assert.Equal("webhooks/github", app.Host.Functions["GitHubSecretScanningAlert"].Route);
        Assert.All(app.Host.Functions.Values.Where(f => f.TriggerType == "httpTrigger"), f => Assert.Equal("Function", f.AuthLevel));
    }

    [Fact]
    public void The_worker_reported_its_own_http_listener_and_took_seconds_not_minutes_to_start()
    {
        Assert.Equal("localhost", app.Host.WorkerHttpUri.Host);
        Assert.False(app.Host.Worker.HasExited);
        Assert.InRange(app.Host.LastStartDuration, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(90));
        Assert.Contains(app.Host.Log.Lines, l => l.Source == "rpc" && l.Category == "Microsoft.Hosting.Lifetime"
            && l.Message == "Now listening on: " + app.Host.WorkerHttpUri.AbsoluteUri.TrimEnd('/'));
    }

    [Fact]
    public async Task A_route_no_function_declares_is_404_from_the_host()
    {
        using var response = await app.Http.GetAsync("api/webhooks/nope", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
