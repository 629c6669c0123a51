using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using static TokenFunctions.Engine.IntegrationTests.Audit.AuditData;

namespace TokenFunctions.Engine.IntegrationTests.Audit;

/// <summary><c>AddAudit</c> wired end to end: against Azurite, and against a storage endpoint that is down.</summary>
public sealed class AuditRegistrationTests(AzuriteTables azurite) : IClassFixture<AzuriteTables>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task What_callers_write_through_the_sink_can_be_queried_back()
    {
        await using var provider = Build(azurite.ConnectionString, azurite.NewTableName());
        var record = Record(TokenA, DateTimeOffset.UtcNow.AddMinutes(-1), "incident-di");

        await provider.GetRequiredService<IAuditSink>().WriteAsync([record], Ct);
        var page = await provider.GetRequiredService<IAuditQuery>().QueryAsync(AuditQuery.ForIncident("incident-di"), Ct);

        Assert.Equal(record, Assert.Single(page.Entries).Record);
    }

    [Fact]
    public async Task A_storage_account_that_is_down_never_fails_the_caller()
    {
        var deadEndpoint = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{ClosedPort()}/devstoreaccount1";
        await using var provider = Build(deadEndpoint, "audit");
        using var failures = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), TokenFunctionsMetrics.MeterName, "tokenfunctions.audit.failures");

        Assert.Equal(AuditWriteResult.Kept, await provider.GetRequiredService<AuditWriter>().TryWriteAsync([Record(TokenA, DateTimeOffset.UtcNow, "incident-down", detail: Secret)]));

        Assert.Equal(1, failures.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, provider.GetRequiredService<AuditRetryBuffer>().Count);
        var logs = provider.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, l => l.Id.Id == 7102 && l.Message.Contains("incident-down", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.DoesNotContain(SecretPart, l.Message, StringComparison.Ordinal));
    }

    private static ServiceProvider Build(string connectionString, string tableName)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:ConnectionString"] = connectionString,
            ["Audit:TableName"] = tableName,
            ["Audit:WriteTimeout"] = "00:00:20",
        }).Build();
        return new ServiceCollection().AddFakeLogging().AddAudit(configuration).BuildServiceProvider();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
