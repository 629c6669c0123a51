using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary>
/// Dynatrace dates arrive as ISO 8601 strings (v2) or epoch milliseconds (v1 <c>TokenMetadata</c> per its schema, while
/// the v1 examples show ISO strings): both are read, as numbers or numeric strings. Written as ISO with milliseconds, UTC.
/// </summary>
internal sealed class FlexibleDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var millis):
                return FromEpochMillis(millis);
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromString))
                {
                    return FromEpochMillis(fromString);
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    return parsed;
                }

                throw new JsonException("Unrecognised date format.");
            default:
                throw new JsonException($"Expected a date, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(Format(v));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, the format every Dynatrace example uses.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset FromEpochMillis(long millis) =>
        millis is < -62_135_596_800_000 or > 253_402_300_799_999
            ? throw new JsonException("Epoch milliseconds out of range.")
            : DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
