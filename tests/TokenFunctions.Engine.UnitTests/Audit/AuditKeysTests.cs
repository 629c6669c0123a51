using TokenFunctions.Engine.Audit;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditKeysTests
{
    [Fact]
    public void Partitions_are_named_after_the_question_they_answer()
    {
        Assert.Equal("tok|dt0c01.ST2EY72KQINMH574WMNVI7YN", AuditKeys.TokenPartition(TokenA));
        Assert.Equal("inc|delivery-42", AuditKeys.IncidentPartition("delivery-42"));
        Assert.Equal("t|2026090112", AuditKeys.TimePartition(T0));

        // The hour bucket is UTC whatever offset the timestamp carries.
        Assert.Equal("t|2026090112", AuditKeys.TimePartition(new DateTimeOffset(2026, 9, 1, 14, 59, 59, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Row_keys_sort_newest_first_and_carry_the_exact_instant()
    {
        var older = AuditKeys.RowKey(T0, new string('0', 32));
        var newer = AuditKeys.RowKey(T0.AddTicks(1), new string('f', 32));

        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.True(AuditKeys.TryParseRowKey(newer, out var at));
        Assert.Equal(T0.AddTicks(1), at);
        Assert.Equal(52, newer.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-row-key")]
    [InlineData("9999999999999999999-00000000000000000000000000000000")]
    [InlineData("2518249535999999999-0000000000000000000000000000000G")]
    [InlineData("2518249535999999999_00000000000000000000000000000000")]
    public void Malformed_row_keys_are_rejected(string? rowKey) => Assert.False(AuditKeys.TryParseRowKey(rowKey, out _));

    [Fact]
    public void Lower_bounds_turn_a_time_range_into_a_row_key_range()
    {
        var from = T0;
        var to = T0.AddMinutes(10);
        var lowest = AuditKeys.LowerBound(to.AddTicks(-1));
        var beyond = AuditKeys.LowerBound(from.AddTicks(-1));
        bool InRange(DateTimeOffset t)
        {
            var key = AuditKeys.RowKey(t, "0123456789abcdef0123456789abcdef");
            return string.CompareOrdinal(key, lowest) >= 0 && string.CompareOrdinal(key, beyond) < 0;
        }

        Assert.True(InRange(from));
        Assert.True(InRange(to.AddTicks(-1)));
        Assert.False(InRange(to));
        Assert.False(InRange(from.AddTicks(-1)));
    }

    [Theory]
    [InlineData("plain-id_1.2:3", "plain-id_1.2:3")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("é", "%C3%A9")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void Key_parts_escape_what_table_storage_forbids(string raw, string encoded) =>
        Assert.Equal(encoded, AuditKeys.EncodeKeyPart(raw));

    [Fact]
    public void Key_encoding_is_one_to_one_even_for_long_ids()
    {
        var longA = new string('a', 300);
        var longB = new string('a', 299) + "b";
        var encodedA = AuditKeys.EncodeKeyPart(longA);

        Assert.StartsWith("%H", encodedA, StringComparison.Ordinal);
        Assert.NotEqual(encodedA, AuditKeys.EncodeKeyPart(longB));
        Assert.NotEqual(AuditKeys.EncodeKeyPart("%2F"), AuditKeys.EncodeKeyPart("/"));
        Assert.True(encodedA.Length <= AuditKeys.MaxEncodedKeyPart);
    }

    [Fact]
    public void The_content_hash_is_stable_and_changes_with_every_field()
    {
        var baseline = Record(TokenA) with
        {
            Owner = "prod",
            Latency = TimeSpan.FromMilliseconds(5),
            RequestedBy = "alice",
            Fingerprint = "abc",
            BlastRadius = new BlastRadius("bob", ["a"], T0, "1.2.3.4", "n"),
        };
        var hash = AuditKeys.ContentHash(baseline);

        Assert.Equal(hash, AuditKeys.ContentHash(baseline with { }));
        Assert.Matches("^[0-9a-f]{32}$", hash);
        var variants = new[]
        {
            baseline with { Timestamp = T0.AddTicks(1) },
            baseline with { Source = "queue" },
            baseline with { CorrelationId = "incident-2" },
            baseline with { Action = "enable" },
            baseline with { Outcome = "Failed" },
            baseline with { TokenId = TokenB },
            baseline with { TokenKind = null },
            baseline with { Fingerprint = "abd" },
            baseline with { Owner = "dev" },
            baseline with { Latency = TimeSpan.FromMilliseconds(6) },
            baseline with { RequestedBy = "bob" },
            baseline with { DryRun = true },
            baseline with { Detail = "other" },
            baseline with { BlastRadius = null },
            baseline with { BlastRadius = new BlastRadius("bob", ["b"], T0, "1.2.3.4", "n") },
            baseline with { BlastRadius = new BlastRadius("bob", ["a"], T0, "1.2.3.5", "n") },
            baseline with { Source = "github-aler", CorrelationId = "tincident-1" },
        };
        Assert.Equal(variants.Length + 1, variants.Select(AuditKeys.ContentHash).Append(hash).Distinct().Count());
    }

    [Theory]
    [InlineData("audit", true)]
    [InlineData("Audit2026", true)]
    [InlineData("ab", false)]
    [InlineData("1audit", false)]
    [InlineData("audit-trail", false)]
    public void Table_names_follow_the_service_rules(string name, bool valid) => Assert.Equal(valid, AuditKeys.IsValidTableName(name));
}
