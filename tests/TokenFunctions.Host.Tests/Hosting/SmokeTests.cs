using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.Host.Tests.Hosting;

public sealed class SmokeTests
{
    [Fact]
    public async Task Worker_starts_and_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = SampleSettings.Load();
        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions { AppDirectory = BuiltApp.Directory, Settings = settings }, ct);
        Assert.Contains("IncidentQueueMessage", host.Functions.Keys);
        using var http = host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/gitlab/v1/revocable_token_types");
        request.Headers.TryAddWithoutValidation("Authorization", settings["Sources:GitLab:Token"]);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, body + host.Log.AllText);
        Assert.Contains("dynatrace_api_token", body, StringComparison.Ordinal);
    }
}
