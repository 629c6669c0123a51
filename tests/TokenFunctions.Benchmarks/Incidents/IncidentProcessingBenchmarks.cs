using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Benchmarks.Incidents;

/// <summary>
/// The queue's own overhead, Dynatrace excluded: strict parsing and validation of a typical hand-off (1 token id) and of
/// the largest allowed message (10,000 ids), and a whole delivery of a 1,000-token disable message through the processor
/// with in-memory ledger and progress and a kill-switch that answers at once.
/// Run: <c>dotnet run -c Release --project tests/TokenFunctions.Benchmarks -- --filter *IncidentProcessing*</c>.
/// </summary>
[MemoryDiagnoser]
public class IncidentProcessingBenchmarks
{
    private readonly IOptionsMonitor<IncidentsOptions> _options = new Monitor(new IncidentsOptions { Storage = { InMemory = true } });
    private byte[] _small = [];
    private byte[] _large = [];
    private byte[] _thousand = [];
    private IncidentMessageParser _parser = null!;
    private ServiceProvider _services = null!;
    private ObjectFactory<IncidentProcessor> _processor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = Body(1);
        _large = Body(10_000);
        _thousand = Body(1_000);
        _parser = new IncidentMessageParser(_options);

        // The processor as AddIncidents composes it; each run gets stores of its own, so none is a duplicate.
        _services = new ServiceCollection()
            .AddSingleton(_options)
            .AddSingleton<ILogger<IncidentProcessor>>(NullLogger<IncidentProcessor>.Instance)
            .AddSingleton<IKillService, InstantKill>()
            .AddSingleton<IDynatraceDirectory, NoDirectory>()
            .AddIncidents(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        _processor = ActivatorUtilities.CreateFactory<IncidentProcessor>([typeof(IIncidentProgressStore), typeof(IIncidentLedger)]);
        Console.WriteLine($"body sizes: 1 id {_small.Length} B, 1,000 ids {_thousand.Length} B, 10,000 ids {_large.Length} B");
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "parse + validate, 1 token id")]
    public bool ParseSmall() => _parser.Parse(_small).IsValid;

    [Benchmark(Description = "parse + validate, 10,000 token ids")]
    public bool ParseLarge() => _parser.Parse(_large).IsValid;

    [Benchmark(Description = "process a 1,000-token disable delivery (in-memory stores)")]
    public async Task<SettlementDecision> ProcessThousand()
    {
        var processor = _processor(_services, [new InMemoryIncidentProgressStore(), new InMemoryIncidentLedger()]);
        return await processor.ProcessAsync(new IncomingIncidentMessage(_thousand, "bench", 1, DateTimeOffset.UtcNow), CancellationToken.None);
    }

    private static byte[] Body(int tokens)
    {
        var ids = string.Join(",", Enumerable.Range(0, tokens).Select(i => "\"dt0c01." + i.ToString("D24", CultureInfo.InvariantCulture) + "\""));
        return Encoding.UTF8.GetBytes($$"""{"version":1,"type":"disable","incidentId":"BENCH-1","source":"sentinel","reason":"benchmark","tokens":[{{ids}}]}""");
    }

    private sealed class Monitor(IncidentsOptions value) : IOptionsMonitor<IncidentsOptions>
    {
        public IncidentsOptions CurrentValue => value;

        public IncidentsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<IncidentsOptions, string?> listener) => null;
    }

    private sealed class InstantKill : IKillService
    {
        public Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new KillResult([.. request.Leaks.Select(l => new TokenOutcome { TokenId = l.TokenId, Outcome = TokenOutcomeKind.Disabled })]));

        public Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken) =>
            Task.FromResult(new TokenOutcome { TokenId = tokenId, Outcome = TokenOutcomeKind.Enabled });
    }

    private sealed class NoDirectory : IDynatraceDirectory
    {
        public IReadOnlyList<IEnvironmentTokenClient> Environments => [];

        public IReadOnlyList<IAccountTokenClient> Accounts => [];
    }
}
