using BenchmarkDotNet.Attributes;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Benchmarks.Notifications;

/// <summary>Rendering one incident for every channel (runs on the background dispatcher, never on a revocation's path).</summary>
[MemoryDiagnoser]
public class IncidentPayloadBenchmarks
{
    private IncidentView _view = null!;

    [Params(5, 500)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var result = new KillResult(Enumerable.Range(0, Tokens).Select(i => new TokenOutcome
        {
            TokenId = TokenId.Parse($"dt0c01.{i:D24}"),
            Outcome = i % 10 == 0 ? TokenOutcomeKind.Protected : TokenOutcomeKind.Disabled,
            Owner = "prod-env",
            ReplacementLocation = i % 3 == 0 ? "https://kv.vault.azure.net/secrets/ci-" + i : null,
        }).ToList());
        var options = new NotificationOptions { OwnerContacts = new(StringComparer.OrdinalIgnoreCase) { ["prod-env"] = "#prod-oncall" } };
        _view = IncidentView.Create(IncidentSummary.From(result, "incident-1", "kill-switch", false, DateTimeOffset.UnixEpoch), options);
    }

    [Benchmark(Description = "Teams Adaptive Card")]
    public int Teams() => TeamsPayloadBuilder.Serialize(_view).Length;

    [Benchmark(Description = "Slack blocks")]
    public int Slack() => SlackPayloadBuilder.Serialize(_view).Length;

    [Benchmark(Description = "Generic JSON")]
    public int Generic() => GenericPayloadBuilder.Serialize(_view).Length;
}
