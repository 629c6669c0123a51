using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TokenFunctions.Cli.Storage;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Tests.Unit;

/// <summary>
/// One audit path: the CLI's embedded file store replaces only the store, so its writes go through the engine's
/// <see cref="AuditWriter"/> and a failed write is handled exactly as in the function app (fallback line, retry buffer,
/// retry service).
/// </summary>
public sealed class EmbeddedAuditPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tokenfunctions-audit-path-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_CLI_writes_through_the_engine_audit_writer_into_its_file_and_keeps_what_the_file_refuses()
    {
        var configuration = new ConfigurationBuilder().Build();
        var stores = EmbeddedStores.Decide(configuration, _root);
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddAudit(configuration);
        stores.Register(services);
        await using var provider = services.BuildServiceProvider();

        var writer = provider.GetRequiredService<AuditWriter>();
        Assert.IsType<FileAuditStore>(provider.GetRequiredService<IAuditSink>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is AuditRetryService);

        Assert.Equal(AuditWriteResult.Written, await writer.TryWriteAsync([Record("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA")]));
        Assert.Contains("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA", await File.ReadAllTextAsync(stores.AuditPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // The file cannot be written (here: a directory stands where it should be): kept for the retry, as in Azure.
        File.Delete(stores.AuditPath);
        Directory.CreateDirectory(stores.AuditPath);
        Assert.Equal(AuditWriteResult.Kept, await writer.TryWriteAsync([Record("dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB")]));
        Assert.Equal(1, provider.GetRequiredService<AuditRetryBuffer>().Count);
    }

    private static AuditRecord Record(string tokenId) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Source = "cli",
        CorrelationId = "cli-test",
        Action = "disable",
        Outcome = "Disabled",
        TokenId = TokenId.Parse(tokenId),
    };
}
