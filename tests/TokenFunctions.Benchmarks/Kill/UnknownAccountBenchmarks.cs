using BenchmarkDotNet.Attributes;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Benchmarks.Kill;

/// <summary>
/// One leaked platform token whose account is unknown, among 1 or 5 accounts, each answering after a fixed injected
/// latency of 20 ms. The owner is the last account. The baseline is the irreducible work done by hand: one
/// <c>PUT …/status</c> straight at the owner with a bearer already in hand. The engine sends that PUT to every account at
/// once (404 elsewhere) and needs no list: the goal is at most 1.1x the baseline. Account pacing is off (it spaces
/// requests to one account for Dynatrace's rate limit, which a single kill never reaches) and bearers are warm.
/// Under each id form the docs allow (reference §10): <c>dt0s16.PUBLIC</c>, or a UUID of the server's own, where the first
/// PUT finds the token once the app knows its id there (the warm-up kill learns it by search, as a create answer or an
/// earlier search would in production); the baseline then PUTs at that UUID.
/// </summary>
[Config(typeof(RoundTripConfig))]
public class UnknownAccountBenchmarks
{
    private KillBench _bench = null!;
    private SandboxIssuedToken _token = null!;
    private Leak _leak = null!;
    private string _bearer = null!;

    private string _serverId = null!;

    [Params(1, 5)]
    public int Accounts { get; set; }

    [Params(SandboxIdForm.Prefixed, SandboxIdForm.Uuid)]
    public SandboxIdForm IdForm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = KillBench.StartAsync(0, new Dictionary<string, string?> { ["KillSwitch:MaxRequestsPerSecondPerAccount"] = "0" }, Accounts, new SandboxPlatformReading { IdForm = IdForm })
            .GetAwaiter().GetResult();
        _token = _bench.Accounts[^1].Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "automation" });
        var state = _bench.Accounts[^1].Account.GetPlatformToken(_token.Id)!;
        _serverId = IdForm == SandboxIdForm.Uuid ? state.Uuid : state.Id;
        _leak = KillBench.LeakOf(_token);
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
    public Task BareAtOwner() => _bench.BarePlatformPutAsync(_bench.Accounts.Count - 1, _bearer, _serverId);

    [Benchmark(Description = "Engine, platform owner unknown")]
    public Task EngineUnknownOwner() => _bench.DisableOneAsync(_leak);
}
