using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Benchmarks.Audit;

/// <summary>
/// The CPU an audit write adds to a revocation before any I/O: building a record (redaction on init), its content hash
/// and its three index entities. A record whose detail carries a full token pays for the scan and rewrite.
/// </summary>
[MemoryDiagnoser]
public class AuditRecordBenchmarks
{
    private const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    private static readonly TokenId Token = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN");
    private static readonly DateTimeOffset At = new(2026, 9, 1, 12, 30, 0, TimeSpan.Zero);

    private AuditRecord _record = null!;

    [GlobalSetup]
    public void Setup() => _record = Build("Disabled in prod-env via Environment API v2 (HTTP 204) after 1 attempt");

    [Benchmark(Description = "Build record (plain detail)")]
    public AuditRecord BuildPlain() => Build("Disabled in prod-env via Environment API v2 (HTTP 204) after 1 attempt");

    [Benchmark(Description = "Build record (detail holds a full token)")]
    public AuditRecord BuildWithSecret() => Build("Dynatrace echoed " + Secret);

    [Benchmark(Description = "Content hash")]
    public string Hash() => AuditKeys.ContentHash(_record);

    [Benchmark(Baseline = true, Description = "Hash + three index entities")]
    public int Entities()
    {
        var n = 0;
        foreach (TableEntity entity in AuditEntityMapper.ToEntities(_record))
        {
            n += entity.Count;
        }

        return n;
    }

    private static AuditRecord Build(string detail) => new()
    {
        Timestamp = At,
        Source = "github-alert",
        CorrelationId = "github-delivery-72d1a2c4-5e6f",
        Action = "disable",
        Outcome = "Disabled",
        TokenId = Token,
        TokenKind = Token.Kind,
        Fingerprint = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Owner = "prod-env",
        Latency = TimeSpan.FromMilliseconds(180),
        RequestedBy = "github-alert",
        Detail = detail,
        BlastRadius = new BlastRadius("alice@example.com", ["apiTokens.read", "apiTokens.write", "metrics.read"], At.AddDays(-1), "203.0.113.7", "ci deploy token"),
    };
}
