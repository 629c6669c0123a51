using System.Globalization;
using System.Text.Json;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary><c>expirationDate</c> of a create: epoch millis, ISO 8601, or relative <c>now+14d</c> (s, m, h, d, w).</summary>
// Not the engine's Primitives/Duration on purpose: the sandbox plays Dynatrace, and a stand-in that shared the code of the
// engine it tests would agree with the engine's mistakes instead of catching them.
internal static class ExpirationParser
{
    public static bool TryParse(JsonElement value, DateTimeOffset now, out DateTimeOffset result)
    {
        result = default;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var millis))
        {
            result = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            return true;
        }

        return value.ValueKind == JsonValueKind.String && TryParse(value.GetString(), now, out result);
    }

    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset result)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
        {
            result = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            return true;
        }

        if (text.StartsWith("now", StringComparison.Ordinal))
        {
            var rest = text.AsSpan(3);
            if (rest.IsEmpty)
            {
                result = now;
                return true;
            }

            if (rest.Length < 3 || rest[0] is not ('+' or '-')
                || !int.TryParse(rest[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var sign = rest[0] == '-' ? -1 : 1;
            TimeSpan? unit = rest[^1] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                'w' => TimeSpan.FromDays(7),
                _ => null,
            };
            if (unit is null)
            {
                return false;
            }

            result = now + (sign * amount * unit.Value);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result);
    }
}
