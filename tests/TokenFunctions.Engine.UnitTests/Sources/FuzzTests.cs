using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

/// <summary>
/// 10,000 random requests spread over every source: random bytes, random JSON, mutated valid payloads, about a third of
/// them validly signed (so they reach the parser). None may throw or answer 5xx, and nothing unsigned may act.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 10_000;

    [Fact]
    public async Task Random_bodies_never_crash_and_never_5xx()
    {
        using var h = SourcesHarness.Create(s => s["Sources:GitLab:PermitsPerMinute"] = "1000000");
        var random = new Random(20260301);
        var statuses = new Dictionary<int, int>();
        var unsignedActions = 0;
        var signedCount = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var source = (i % 5) switch
            {
                0 => SourceNames.GitHubAlert,
                1 => SourceNames.GitHubPartner,
                2 => SourceNames.GitGuardian,
                3 => SourceNames.Generic,
                _ => SourceNames.GitLab,
            };
            var body = FuzzCorpus.RandomBody(random, source);
            var sign = random.Next(3) == 0;
            signedCount += sign ? 1 : 0;
            var before = h.Kill.CallCount;
            var request = sign ? Signed(h, source, body) : Unsigned(h, random, source, body);
            if (random.Next(20) == 0)
            {
                request.ContentType = random.Next(2) == 0 ? "text/plain" : "application/json; charset=utf-16";
            }

            IActionResult result;
            try
            {
                result = await Handle(h, source, request);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} ({source}, signed={sign}) threw {e.GetType().Name}: {e.Message}");
                throw;
            }

            var status = Status(result);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"iteration {i} ({source}, signed={sign}) answered {status}");
            if (!sign && source != SourceNames.GitLab && h.Kill.CallCount != before)
            {
                unsignedActions++;
            }

            h.Time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(0, unsignedActions);
        Assert.True(signedCount > 3000);
        Assert.True(statuses.GetValueOrDefault(200) + statuses.GetValueOrDefault(204) > 500, "mutations should still reach acceptance sometimes");
        Assert.True(statuses.GetValueOrDefault(400) > 500, "signed garbage should reach the parser");
        Assert.True(h.Kill.CallCount > 0);
    }

    internal static Task<IActionResult> Handle(SourcesHarness h, string source, HttpRequest request) => source switch
    {
        SourceNames.GitHubAlert => h.GitHubAlert.HandleAsync(request, CancellationToken.None),
        SourceNames.GitHubPartner => h.Partner.HandleAsync(request, CancellationToken.None),
        SourceNames.GitGuardian => h.GitGuardian.HandleAsync(request, CancellationToken.None),
        SourceNames.Generic => h.Generic.HandleAsync(request, CancellationToken.None),
        _ => h.GitLab.RevokeTokensAsync(request, CancellationToken.None),
    };

    internal static HttpRequest Signed(SourcesHarness h, string source, byte[] body) => source switch
    {
        SourceNames.GitHubAlert => GitHubAlert(body),
        SourceNames.GitHubPartner => Partner(body, FakePartnerKeys.TestKeyId, h.PartnerKeys.Sign(body)),
        SourceNames.GitGuardian => GitGuardian(body, h.NowUnix),
        SourceNames.Generic => Generic(body, h.NowUnix),
        _ => GitLab(body),
    };

    private static HttpRequest Unsigned(SourcesHarness h, Random random, string source, byte[] body)
    {
        var request = Signed(h, source, body);
        switch (random.Next(3))
        {
            case 0: // strip every header
                foreach (var name in request.Headers.Keys.Where(k => k != "Content-Type" && k != "Content-Length").ToList())
                {
                    request.Headers.Remove(name);
                }

                break;
            case 1: // right shape, wrong value
                foreach (var name in request.Headers.Keys.Where(k => k.Contains("Signature", StringComparison.OrdinalIgnoreCase) || k == "Authorization").ToList())
                {
                    request.Headers[name] = name == "Authorization" ? "wrong" : "sha256=" + new string('0', 64);
                }

                break;
            default: // signed for other bytes
                var other = (byte[])body.Clone();
                if (other.Length > 0)
                {
                    other[random.Next(other.Length)] ^= 0x20;
                }
                else
                {
                    other = [(byte)' '];
                }

                request.Body = new MemoryStream(other);
                request.ContentLength = other.Length;
                break;
        }

        return request;
    }
}
