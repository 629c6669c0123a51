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
            var body = RandomBody(random, source);
            var sign = random.Next(3) == 0;
            signedCount += sign ? 1 : 0;
            var before = h.KillSwitch.CallCount;
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
            if (!sign && source != SourceNames.GitLab && h.KillSwitch.CallCount != before)
            {
                unsignedActions++;
            }

            h.Time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(0, unsignedActions);
        Assert.True(signedCount > 3000);
        Assert.True(statuses.GetValueOrDefault(200) + statuses.GetValueOrDefault(204) > 500, "mutations should still reach acceptance sometimes");
        Assert.True(statuses.GetValueOrDefault(400) > 500, "signed garbage should reach the parser");
        Assert.True(h.KillSwitch.CallCount > 0);
    }

    private static byte[] RandomBody(Random random, string source)
    {
        switch (random.Next(4))
        {
            case 0:
                var bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(RandomJson(random, 0));
            default:
                var valid = source switch
                {
                    SourceNames.GitHubAlert => SamplePayloads.GitHubAlert(random.Next(2) == 0 ? "created" : "validated", random.Next(1, 1000)),
                    SourceNames.GitHubPartner => SamplePayloads.Partner((TestTokens.Classic(random.Next(100)), "dynatrace_api_token"), ("x", "y")),
                    SourceNames.GitGuardian => SamplePayloads.GitGuardian(secretHash: TestTokens.Secret(random.Next(100)).Fingerprint),
                    SourceNames.Generic => SamplePayloads.Generic([TestTokens.Classic(random.Next(100)), "junk"], id: "f" + random.Next()),
                    _ => SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(random.Next(100)))),
                };
                return Mutate(random, valid);
        }
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var data = valid.ToList();
        var edits = random.Next(0, 4);
        for (var e = 0; e < edits && data.Count > 0; e++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(5))
            {
                case 0: data[at] = (byte)random.Next(256); break;
                case 1: data.RemoveAt(at); break;
                case 2: data.Insert(at, (byte)"{}[]\",:0\\"[random.Next(9)]); break;
                case 3: data.RemoveRange(at, data.Count - at); break;
                default: data.InsertRange(at, Encoding.UTF8.GetBytes("\"action\":\"created\",")); break;
            }
        }

        return [.. data];
    }

    private static string RandomJson(Random random, int depth)
    {
        var choice = depth > 4 ? random.Next(4) : random.Next(7);
        return choice switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "1e308",
            2 => JsonSerializer.Serialize(random.Next(3) == 0 ? TestTokens.Classic(random.Next(50)) : "s" + random.Next()),
            3 => random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ =>
                JsonSerializer.Serialize(Keys[random.Next(Keys.Length)]) + ":" + RandomJson(random, depth + 1))) + "}",
        };
    }

    private static readonly string[] Keys =
        ["action", "alert", "number", "secret_type", "repository", "full_name", "token", "type", "url", "tokens", "id", "incident", "secret_hash", "detector", "name", "validity", "x"];

    private static Task<IActionResult> Handle(SourcesHarness h, string source, HttpRequest request) => source switch
    {
        SourceNames.GitHubAlert => h.GitHubAlert.HandleAsync(request, CancellationToken.None),
        SourceNames.GitHubPartner => h.Partner.HandleAsync(request, CancellationToken.None),
        SourceNames.GitGuardian => h.GitGuardian.HandleAsync(request, CancellationToken.None),
        SourceNames.Generic => h.Generic.HandleAsync(request, CancellationToken.None),
        _ => h.GitLab.RevokeTokensAsync(request, CancellationToken.None),
    };

    private static HttpRequest Signed(SourcesHarness h, string source, byte[] body) => source switch
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
