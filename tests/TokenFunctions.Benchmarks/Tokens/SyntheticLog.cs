using System.Text;

namespace TokenFunctions.Benchmarks.Tokens;

/// <summary>
/// A deterministic application log of a given size: realistic lines (timestamps, levels, ids, URLs, JSON, stack frames,
/// token ids without secrets and "dt0"-like near misses) with one full token every <c>tokenEvery</c> characters.
/// </summary>
internal static class SyntheticLog
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly string[] Templates =
    [
        "{0:O} INFO  [worker-{1}] GET /api/v2/apiTokens?pageSize=200 200 {2}ms traceId={3:N}\n",
        "{0:O} DEBUG [worker-{1}] cache hit for key user:{2} id=0 dt0 ratio=0.{2}\n",
        "{0:O} WARN  [worker-{1}] retrying request to https://abc{2}.live.dynatrace.com/api/v2/metrics attempt {1}\n",
        "{0:O} INFO  [worker-{1}] {{\"event\":\"disabled\",\"tokenId\":\"dt0c01.ST2EY72KQINMH574WMNVI7YN\",\"latencyMs\":{2}}}\n",
        "{0:O} ERROR [worker-{1}] System.InvalidOperationException: queue depth {2} exceeded\n   at TokenFunctions.Engine.Worker.Run() in /src/Worker.cs:line {1}\n",
        "{0:O} INFO  [worker-{1}] user=d00d{2} downloaded 1024 bytes from blob container logs-{2}\n",
    ];

    public static string Build(int chars, int tokenEvery, out int tokens)
    {
        var random = new Random(42);
        var sb = new StringBuilder(chars + 256);
        var time = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var nextToken = tokenEvery / 2;
        tokens = 0;
        while (sb.Length < chars)
        {
            if (sb.Length >= nextToken)
            {
                sb.Append(time.ToString("O")).Append(" WARN  config dump: DT_API_TOKEN=dt0c01.")
                    .Append(Chars(random, 24)).Append('.').Append(Chars(random, 64)).Append('\n');
                tokens++;
                nextToken += tokenEvery;
                continue;
            }

            time = time.AddMilliseconds(random.Next(1, 50));
            sb.AppendFormat(
                System.Globalization.CultureInfo.InvariantCulture,
                Templates[random.Next(Templates.Length)],
                time,
                random.Next(1, 16),
                random.Next(0, 100_000),
                new Guid(random.Next(), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        }

        sb.Length = chars;
        return sb.ToString();
    }

    private static string Chars(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }
}
