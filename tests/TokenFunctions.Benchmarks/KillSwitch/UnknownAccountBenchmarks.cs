using BenchmarkDotNet.Attributes;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Benchmarks.KillSwitch;

/// <summary>
/// One leaked platform token whose account is unknown, among 1 or 5 accounts, each answering after a fixed injected
/// latency of 20 ms. The owner is the last account. The baseline is the irreducible work done by hand: one
/// <c>PUT …/status</c> straight at the owner with a bearer already in hand. The engine sends that PUT to every account at
/// once (404 elsewhere) and needs no list: the goal is at most 1.1x the baseline. Account pacing is off (it spaces
/// requests to one account for Dynatrace's rate limit, which a single kill never reaches) and bearers are warm.
/// </summary>
[Config(typeof(RoundTripConfig))]
public class UnknownAccountBenchmarks
{
    private KillSwitchBench _bench = null!;
    private SandboxIssuedToken _token = null!;
    private Leak _leak = null!;
    private string _bearer = null!;

    [Params(1, 5)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = KillSwitchBench.StartAsync(0, new Dictionary<string, string?> { ["KillSwitch:MaxRequestsPerSecondPerAccount"] = "0" }, Accounts).GetAwaiter().GetResult();
        _token = _bench.Accounts[^1].Account.AddPlatformToken();
        _leak = KillSwitchBench.LeakOf(_token);
        _bearer = _bench.BearerAsync(_bench.Accounts.Count - 1).GetAwaiter().GetResult();

        // Warm the engine's bearer cache for every account before the latency goes on.
        EngineUnknownOwner().GetAwaiter().GetResult();
        foreach (var (account, _) in _bench.Accounts)
        {
            account.Faults.Latency = UnknownEnvironmentBenchmarks.RoundTrip;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Bare PUT status at the known owner")]
    public Task BareAtOwner() => _bench.BarePlatformPutAsync(_bench.Accounts.Count - 1, _bearer, _token.Id);

    [Benchmark(Description = "Engine, platform owner unknown")]
    public Task EngineUnknownOwner() => _bench.DisableOneAsync(_leak);
}
