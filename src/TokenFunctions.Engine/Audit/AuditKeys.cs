using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// The table's key design. Every record is written up to three times, once per question operators ask:
/// <list type="bullet">
/// <item><c>tok|&lt;tokenId&gt;</c>: everything about one token (only for records that name a token);</item>
/// <item><c>t|yyyyMMddHH</c>: everything in one UTC hour, so "the last hour" reads one or two partitions;</item>
/// <item><c>inc|&lt;correlationId&gt;</c>: everything about one incident, delivery or alert.</item>
/// </list>
/// The row key is the same in every copy: <c>&lt;inverted ticks, 19 digits&gt;-&lt;content hash&gt;</c>. Table Storage
/// returns a partition in row-key order, so inverted ticks make every partition newest-first, and a time range is a
/// row-key range inside any partition. The hash (SHA-256 of the record's fields, 128 bits) keeps concurrent writers
/// from colliding and makes a retried write of the same record land on the same row: append-only and idempotent.
/// </summary>
public static class AuditKeys
{
    public const string TokenPartitionPrefix = "tok|";
    public const string TimePartitionPrefix = "t|";
    public const string IncidentPartitionPrefix = "inc|";

    /// <summary>Keys are limited to 1 KiB; correlation ids longer than this are hashed.</summary>
    public const int MaxEncodedKeyPart = 256;

    private const string HourFormat = "yyyyMMddHH";
    private const int TicksDigits = 19;
    private const int HashHexLength = 32;
    private static readonly long MaxTicks = DateTimeOffset.MaxValue.UtcTicks;

    public static string TokenPartition(TokenId tokenId) => TokenPartitionPrefix + tokenId.Value;

    public static string IncidentPartition(string correlationId) => IncidentPartitionPrefix + EncodeKeyPart(correlationId);

    public static string TimePartition(DateTimeOffset timestamp) =>
        TimePartitionPrefix + timestamp.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset HourFloor(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    /// <summary>Row key of a record: newest first, then by content hash.</summary>
    public static string RowKey(DateTimeOffset timestamp, string contentHash) => InvertedTicks(timestamp) + "-" + contentHash;

    /// <summary>
    /// Smallest row key of a record at or before <paramref name="timestamp"/>. Every row key for an instant starts with
    /// its inverted ticks, so a range <c>[from, to)</c> is <c>RowKey ge LowerBound(to - 1 tick)</c> and
    /// <c>RowKey lt LowerBound(from - 1 tick)</c>.
    /// </summary>
    public static string LowerBound(DateTimeOffset timestamp) => InvertedTicks(timestamp);

    public static string InvertedTicks(DateTimeOffset timestamp) =>
        (MaxTicks - timestamp.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The instant a row key was written for (to the tick).</summary>
    public static bool TryParseRowKey(string? rowKey, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (rowKey is null || rowKey.Length != TicksDigits + 1 + HashHexLength || rowKey[TicksDigits] != '-'
            || !long.TryParse(rowKey.AsSpan(0, TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var inverted)
            || inverted > MaxTicks || !IsLowerHex(rowKey.AsSpan(TicksDigits + 1)))
        {
            return false;
        }

        timestamp = new DateTimeOffset(MaxTicks - inverted, TimeSpan.Zero);
        return true;
    }

    public static bool TryParseTimePartition(string? partitionKey, out DateTimeOffset hour)
    {
        hour = default;
        if (partitionKey is null || !partitionKey.StartsWith(TimePartitionPrefix, StringComparison.Ordinal)
            || !DateTime.TryParseExact(partitionKey.AsSpan(TimePartitionPrefix.Length), HourFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        hour = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
        return true;
    }

    /// <summary>
    /// Makes arbitrary text safe in a key: Table Storage forbids <c>/ \ # ?</c> and control characters. Printable ASCII
    /// other than those and <c>%</c> stays; everything else becomes <c>%XX</c> per UTF-8 byte. Results longer than
    /// <see cref="MaxEncodedKeyPart"/> become <c>%H</c> + SHA-256 hex; <c>%H</c> cannot come out of escaping, so the
    /// mapping stays one-to-one.
    /// </summary>
    public static string EncodeKeyPart(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= ' ' and <= '~' and not ('/' or '\\' or '#' or '?' or '%'))
            {
                sb.Append(c);
                continue;
            }

            var rune = Rune.TryGetRuneAt(value, i, out var r) ? r : Rune.ReplacementChar;
            if (rune.Utf16SequenceLength == 2)
            {
                i++;
            }

            var written = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..written])
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.Length <= MaxEncodedKeyPart ? sb.ToString() : "%H" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    /// <summary>128 bits of SHA-256 over every field of the record, unambiguously delimited.</summary>
    public static string ContentHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? value)
        {
            // Length-prefixed so ("ab","c") and ("a","bc") differ; -1 marks null.
            var text = value ?? string.Empty;
            hash.AppendData(BitConverter.GetBytes(value is null ? -1 : text.Length));
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        Add(record.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Add(record.Source);
        Add(record.CorrelationId);
        Add(record.Action);
        Add(record.Outcome);
        Add(record.TokenId?.Value);
        Add(record.TokenKind?.ToString());
        Add(record.Fingerprint);
        Add(record.Owner);
        Add(record.Latency?.Ticks.ToString(CultureInfo.InvariantCulture));
        Add(record.RequestedBy);
        Add(record.DryRun ? "1" : "0");
        Add(record.Detail);
        if (record.BlastRadius is { } blast)
        {
            Add(blast.TokenOwner);
            Add(string.Join('\n', blast.Scopes));
            Add(blast.LastUsedDate?.UtcTicks.ToString(CultureInfo.InvariantCulture));
            Add(blast.LastUsedIpAddress);
            Add(blast.Name);
        }
        else
        {
            Add(null);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..(HashHexLength / 2)]);
    }

    /// <summary>Table names: 3–63 ASCII letters or digits, starting with a letter.</summary>
    public static bool IsValidTableName(string? name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
