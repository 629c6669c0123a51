using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Fakes;

namespace TokenFunctions.Benchmarks.Sources;

/// <summary>
/// The cost of trusting a webhook: signature over the raw bytes plus source-generated parsing of a 10 KB payload
/// (goal: at most 50 µs for the HMAC sources), and the whole GitHub endpoint up to the action filter.
/// Run: <c>dotnet run -c Release --project tests/TokenFunctions.Benchmarks -- --filter *VerifyAndParse*</c>.
/// </summary>
[MemoryDiagnoser]
public class VerifyAndParseBenchmarks
{
    private const string Secret = "It's a Secret to Everybody";
    private byte[] _alertBody = [];
    private byte[] _genericBody = [];
    private byte[] _partnerBody = [];
    private string _alertSignature = "";
    private string _genericSignature = "";
    private byte[] _partnerSignature = [];
    private byte[][] _keys = [];
    private byte[] _genericPrefix = [];
    private PartnerPublicKey _partnerKey = null!;
    private ECDsa _signer = null!;
    private ServiceProvider _services = null!;
    private GitHubAlertEndpoint _endpoint = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alertBody = GitHubAlert(10 * 1024);
        _alertSignature = SignedBodies.Sign(Secret, _alertBody);
        _keys = [Encoding.UTF8.GetBytes(Secret)];

        var tokens = Enumerable.Range(0, 60).Select(i => JsonSerializer.Serialize(Token(i))).ToList();
        _genericBody = Encoding.UTF8.GetBytes($"{{\"id\":\"evt-1\",\"reason\":\"bench\",\"location\":\"{new string('p', 3 * 1024)}\",\"tokens\":[{string.Join(",", tokens)}]}}");
        _genericPrefix = Encoding.UTF8.GetBytes("1772366400.");
        _genericSignature = SignedBodies.Sign(Secret, _genericBody, "1772366400.");

        var matches = Enumerable.Range(0, 60).Select(i => $"{{\"token\":\"{Token(i)}\",\"type\":\"dynatrace_api_token\",\"url\":\"https://github.com/o/r/blob/abc/f{i}.env\",\"source\":\"content\"}}");
        _partnerBody = Encoding.UTF8.GetBytes("[" + string.Join(",", matches) + "]");
        _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _partnerSignature = _signer.SignData(_partnerBody, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        _partnerKey = PartnerPublicKey.FromPem("bench", _signer.ExportSubjectPublicKeyInfoPem(), true)!;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:GitHub:WebhookSecret"] = Secret,
            ["Sources:Ledger:Mode"] = "InMemory",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IKillService, NoKill>().AddSingleton<IIncidentQueue, NoQueue>().AddSingleton<IAuditSink, NoAudit>()
            .AddSingleton<IManagedCredentialIndex, NoIndex>();
        _services = services.AddLeakSources(configuration).BuildServiceProvider();
        _endpoint = _services.GetRequiredService<GitHubAlertEndpoint>();
        Console.WriteLine($"payload sizes: alert {_alertBody.Length} B, generic {_genericBody.Length} B, partner {_partnerBody.Length} B");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _signer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "GitHub alert 10 KB: HMAC verify + parse")]
    public long? GitHubAlertVerifyAndParse()
    {
        if (HmacSignature.Check(_alertSignature, _keys, default, _alertBody) is not null)
        {
            throw new InvalidOperationException("signature");
        }

        return JsonSerializer.Deserialize(_alertBody, SourcesJsonContext.Default.GitHubAlertEvent)!.Alert!.Number;
    }

    [Benchmark(Description = "Generic 10 KB (60 tokens): HMAC(ts.body) verify + parse")]
    public int GenericVerifyAndParseOnly()
    {
        if (HmacSignature.Check(_genericSignature, _keys, _genericPrefix, _genericBody) is not null)
        {
            throw new InvalidOperationException("signature");
        }

        return JsonSerializer.Deserialize(_genericBody, SourcesJsonContext.Default.GenericLeakReport)!.Tokens!.Count;
    }

    /// <summary>Adds <see cref="TokenSecret.TryParse"/> per entry, which hashes each token for its fingerprint.</summary>
    [Benchmark(Description = "Generic 10 KB (60 tokens): HMAC(ts.body) verify + parse + classify")]
    public int GenericVerifyAndParse()
    {
        if (HmacSignature.Check(_genericSignature, _keys, _genericPrefix, _genericBody) is not null)
        {
            throw new InvalidOperationException("signature");
        }

        var report = JsonSerializer.Deserialize(_genericBody, SourcesJsonContext.Default.GenericLeakReport)!;
        var count = 0;
        foreach (var entry in report.Tokens!)
        {
            count += TokenSecret.TryParse(entry, out _) ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "Partner 10 KB (60 matches): ECDSA P-256 verify + parse")]
    public int PartnerVerifyAndParse()
    {
        if (!_partnerKey.Verify(_partnerBody, _partnerSignature))
        {
            throw new InvalidOperationException("signature");
        }

        return JsonSerializer.Deserialize(_partnerBody, SourcesJsonContext.Default.ListPartnerMatch)!.Count;
    }

    [Benchmark(Description = "GitHub endpoint 10 KB: read + verify + parse + filter (ignored action)")]
    public async Task<int> GitHubEndpointUpToFilter()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = _alertBody.Length;
        context.Request.Body = new MemoryStream(_alertBody, writable: false);
        context.Request.Headers["X-Hub-Signature-256"] = _alertSignature;
        context.Request.Headers["X-GitHub-Event"] = "secret_scanning_alert";
        context.Request.Headers["X-GitHub-Delivery"] = "bench";
        var result = (WebhookResult)await _endpoint.HandleAsync(context.Request, CancellationToken.None);
        return result.StatusCode == 200 ? 200 : throw new InvalidOperationException(result.Reason);
    }

    private static string Token(int n) => "dt0c01." + new string((char)('A' + (n % 26)), 24) + "." + new string((char)('A' + ((n + 7) % 26)), 64);

    /// <summary>A <c>resolved</c> alert (acknowledged, not acted on) padded to about <paramref name="size"/> bytes.</summary>
    private static byte[] GitHubAlert(int size)
    {
        const string head = "{\"action\":\"resolved\",\"alert\":{\"number\":42,\"created_at\":\"2026-03-01T11:59:00Z\",\"secret_type\":\"dynatrace_api_token\","
            + "\"validity\":\"unknown\",\"html_url\":\"https://github.com/octo-org/hello/security/secret-scanning/42\",\"state\":\"resolved\","
            + "\"push_protection_bypassed\":false,\"publicly_leaked\":false},\"repository\":{\"id\":1296269,\"name\":\"hello\",\"full_name\":\"octo-org/hello\","
            + "\"owner\":{\"login\":\"octo-org\",\"id\":1,\"type\":\"Organization\"},\"topics\":[";
        var sb = new StringBuilder(head);
        var i = 0;
        while (sb.Length < size - 200)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append("\"topic-").Append(i++).Append("-observability-platform\"");
        }

        sb.Append("],\"private\":true},\"organization\":{\"login\":\"octo-org\",\"id\":1},\"sender\":{\"login\":\"github\",\"id\":9919,\"type\":\"Bot\"}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private sealed class NoKill : IKillService
    {
        public Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken) =>
            throw new InvalidOperationException();
    }

    private sealed class NoQueue : IIncidentQueue
    {
        public Task EnqueueAsync(IncidentMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    private sealed class NoAudit : IAuditSink
    {
        public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoIndex : IManagedCredentialIndex
    {
        public Task<ManagedCredentialRef?> FindByTokenIdAsync(TokenId tokenId, CancellationToken cancellationToken) => Task.FromResult<ManagedCredentialRef?>(null);

        public Task<ManagedCredentialRef?> FindByFingerprintAsync(string sha256Hex, CancellationToken cancellationToken) => Task.FromResult<ManagedCredentialRef?>(null);
    }
}
