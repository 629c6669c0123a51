using System.Text;
using System.Text.Json;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>The fuzz corpora of every source, shared by the crash fuzzer and the hand-off property test.</summary>
public static class FuzzCorpus
{
    /// <summary>Random bytes, random JSON, or a valid payload of <paramref name="source"/> with a few byte-level edits.</summary>
    public static byte[] RandomBody(Random random, string source)
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

    /// <summary>
    /// A payload every source accepts (valid JSON of the right shape, a Dynatrace token in it), whose free fields are
    /// hostile: blank, far over the incident contract's lengths, control characters and line breaks, lone surrogates,
    /// tokens inside text, ids of every length. <see cref="HostileCase.DeliveryId"/> is the GitHub delivery header.
    /// </summary>
    public static HostileCase Hostile(Random random, string source)
    {
        var token = TestTokens.Classic(random.Next(100));
        switch (source)
        {
            case SourceNames.GitHubAlert:
                var alert = new Dictionary<string, object?>
                {
                    ["action"] = random.Next(2) == 0 ? "created" : "publicly_leaked",
                    ["alert"] = new Dictionary<string, object?>
                    {
                        ["number"] = random.Next(1, 100_000),
                        ["secret_type"] = "dynatrace_api_token",
                        ["html_url"] = MaybeNull(random, HostileText(random)),
                        ["created_at"] = "2026-03-01T11:59:00Z",
                        ["validity"] = "active",
                    },
                    ["repository"] = new Dictionary<string, object?> { ["full_name"] = "octo-org/" + RepositoryName(random) },
                };
                return new(Json(alert), HostileId(random, 1, 200));
            case SourceNames.Generic:
                return new(Json(new Dictionary<string, object?>
                {
                    ["id"] = MaybeNull(random, HostileId(random, 1, 200)),
                    ["tokens"] = random.Next(3) == 0 ? new[] { HostileText(random) + " " + token + " " + HostileText(random) } : new[] { token },
                    ["reason"] = MaybeNull(random, HostileText(random)),
                    ["location"] = MaybeNull(random, HostileText(random)),
                    ["environment"] = MaybeNull(random, HostileText(random)),
                    ["scanner"] = MaybeNull(random, HostileText(random)),
                }), null);
            case SourceNames.GitHubPartner:
                return new(Json(new[]
                {
                    new Dictionary<string, object?> { ["token"] = token, ["type"] = HostileText(random), ["url"] = MaybeNull(random, HostileText(random)), ["source"] = MaybeNull(random, HostileText(random)) },
                }), null);
            case SourceNames.GitGuardian:
                return new(Json(new Dictionary<string, object?>
                {
                    ["action"] = "incident_triggered",
                    ["incident"] = new Dictionary<string, object?>
                    {
                        ["id"] = random.NextInt64(),
                        ["date"] = "2026-03-01T11:58:00Z",
                        ["detector"] = new Dictionary<string, object?> { ["name"] = "dynatrace_token" },
                        ["secret_hash"] = TokenSecret.Parse(token).Fingerprint,
                        ["validity"] = "valid",
                        ["gitguardian_url"] = MaybeNull(random, HostileText(random)),
                    },
                    ["occurrence"] = random.Next(2) == 0 ? null : new Dictionary<string, object?> { ["url"] = HostileText(random) },
                }), null);
            default:
                return new(Json(new[]
                {
                    new Dictionary<string, object?> { ["type"] = "dynatrace_api_token", ["token"] = token, ["location"] = MaybeNull(random, HostileText(random)) },
                }), null);
        }
    }

    /// <summary>Text no contract field allows as it is.</summary>
    public static string HostileText(Random random) => random.Next(9) switch
    {
        0 => string.Empty,
        1 => new string(' ', random.Next(1, 5)) + "\t\r\n",
        2 => new string('r', random.Next(1_900, 6_000)),
        3 => "line one\nline two\r\n\u001b[31mred\u0000\u0007\u0085\u2028end",
        4 => "leaked " + TestTokens.Classic(random.Next(100)) + " in " + new string('p', random.Next(0, 3_000)),
        5 => new string('\ud83d', 1) + "lone surrogate" + new string('\udc00', 1) + "😀",
        6 => string.Concat(Enumerable.Range(0, random.Next(1, 400)).Select(_ => (char)random.Next(0, 0x3000))),
        7 => "\"quoted\" \\ back\\slash {json} <html> 'single'",
        _ => "plain reason " + random.Next(),
    };

    /// <summary>An id between <paramref name="min"/> and <paramref name="max"/> characters, often one the contract refuses.</summary>
    public static string HostileId(Random random, int min, int max) => random.Next(6) switch
    {
        0 => new string('d', random.Next(Math.Max(min, 150), max + 1)),
        1 => "id with spaces\tand\ncontrols\u0001",
        2 => TestTokens.Classic(random.Next(100)),
        3 => string.Concat(Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => (char)random.Next(1, 0x2FF))),
        4 => " " + Guid.NewGuid() + " ",
        _ => Guid.NewGuid().ToString(),
    };

    private static string RepositoryName(Random random) => random.Next(3) == 0 ? new string('r', 100) : "repo-" + random.Next(1000);

    private static string? MaybeNull(Random random, string value) => random.Next(5) == 0 ? null : value;

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value);
}

/// <summary>One hostile, acceptable payload; <see cref="DeliveryId"/> is set for GitHub.</summary>
public sealed record HostileCase(byte[] Body, string? DeliveryId);
