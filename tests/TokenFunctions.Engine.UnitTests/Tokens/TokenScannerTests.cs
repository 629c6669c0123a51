using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Tokens;

public sealed class TokenScannerTests
{
    private static readonly string Token = TestTokens.Documented;

    // The grammar the scanner implements, as a regex: the reference for the differential test below.
    private static readonly Regex Reference = new(
        "(?<![A-Za-z0-9])dt0[a-zA-Z][0-9]{2}\\.[A-Z0-9]{8,24}\\.[A-Z0-9]{64}(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant);

    [Fact]
    public void Finds_the_documented_example_with_its_id_boundary()
    {
        var text = $"token={Token};";
        var match = Assert.Single(TokenScanner.FindAll(text));
        Assert.Equal(6, match.Start);
        Assert.Equal(Token.Length, match.Length);
        Assert.Equal("dt0c01.ST2EY72KQINMH574WMNVI7YN", text.Substring(match.Start, match.IdLength));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(24)]
    public void Accepts_public_parts_from_8_to_24_characters(int publicLength)
    {
        var token = TestTokens.Text("dt0c01", 1, publicLength);
        var match = Assert.Single(TokenScanner.FindAll($"x {token} y"));
        Assert.Equal(2, match.Start);
        Assert.Equal(TokenPrefixes.PrefixLength + 1 + publicLength, match.IdLength);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(25)]
    [InlineData(40)]
    public void Rejects_public_parts_outside_8_to_24(int publicLength) =>
        Assert.Empty(TokenScanner.FindAll($"x {TestTokens.Text("dt0c01", 2, publicLength)} y"));

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(80)]
    public void Rejects_secrets_that_are_not_64_characters(int secretLength) =>
        Assert.Empty(TokenScanner.FindAll($"x {TestTokens.Text("dt0c01", 3, secretLength: secretLength)} y"));

    [Fact]
    public void Rejects_lowercase_public_parts_and_secrets()
    {
        var lowerPublic = "dt0c01." + "ST2EY72KQINMH574WMNVI7YN".ToLowerInvariant() + Token[31..];
        var lowerSecret = Token[..32] + Token[32..].ToLowerInvariant();
        var oneLowerInSecret = Token[..^1] + "m";
        Assert.Empty(TokenScanner.FindAll(lowerPublic));
        Assert.Empty(TokenScanner.FindAll(lowerSecret));
        Assert.Empty(TokenScanner.FindAll(oneLowerInSecret));
    }

    [Theory]
    [InlineData("dt0C01")]
    [InlineData("dt0s16")]
    [InlineData("dt0z99")]
    public void The_prefix_letter_may_be_either_case(string prefix) =>
        Assert.Single(TokenScanner.FindAll(TestTokens.Text(prefix, 4)));

    [Theory]
    [InlineData("DT0c01")]
    [InlineData("dT0c01")]
    [InlineData("dt0c1x")]
    [InlineData("dt0101")]
    [InlineData("dto c01")]
    [InlineData("dt1c01")]
    public void Rejects_malformed_prefixes(string prefix) =>
        Assert.Empty(TokenScanner.FindAll(TestTokens.Text(prefix, 5)));

    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("0")]
    public void Rejects_a_token_glued_to_a_preceding_letter_or_digit(string before) =>
        Assert.Empty(TokenScanner.FindAll(before + Token));

    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("9")]
    public void Rejects_a_token_glued_to_a_following_letter_or_digit(string after) =>
        Assert.Empty(TokenScanner.FindAll(Token + after));

    [Theory]
    [InlineData("\"", "\"")]
    [InlineData("=", "&")]
    [InlineData("_", "_")]
    [InlineData("-", ".")]
    [InlineData("/", "/")]
    [InlineData("\t", "\r\n")]
    [InlineData("é", "ü")]
    [InlineData("€", "→")]
    public void Accepts_a_token_between_non_token_characters(string before, string after)
    {
        var match = Assert.Single(TokenScanner.FindAll(before + Token + after));
        Assert.Equal(before.Length, match.Start);
    }

    [Fact]
    public void Finds_tokens_at_the_very_start_and_end_and_as_the_whole_text()
    {
        Assert.Equal(0, Assert.Single(TokenScanner.FindAll(Token + " tail")).Start);
        Assert.Equal(5, Assert.Single(TokenScanner.FindAll("head " + Token)).Start);
        Assert.Equal(0, Assert.Single(TokenScanner.FindAll(Token)).Start);
    }

    [Fact]
    public void Finds_several_tokens_on_one_line_in_order()
    {
        var a = TestTokens.RandomClassic(10);
        var b = TestTokens.RandomPlatform(11);
        var c = TestTokens.Text("dt0s02", 12, 8);
        var line = $"{a},{b} {c}";
        var matches = TokenScanner.FindAll(line);
        Assert.Equal([0, a.Length + 1, a.Length + b.Length + 2], matches.Select(m => m.Start));
        Assert.Equal([a, b, c], matches.Select(m => line.Substring(m.Start, m.Length)));
    }

    [Fact]
    public void Two_tokens_glued_together_are_not_recognised()
    {
        // Recognition follows the grammar strictly; Redaction still masks both (see RedactionTests).
        Assert.Empty(TokenScanner.FindAll(TestTokens.RandomClassic(1) + TestTokens.RandomClassic(2)));
    }

    [Fact]
    public void A_false_start_does_not_hide_a_real_token_right_after_it()
    {
        var token = TestTokens.RandomClassic(20);
        Assert.Single(TokenScanner.FindAll("dt0 " + token));
        Assert.Single(TokenScanner.FindAll("dt0c01.ABC. " + token));
        Assert.Single(TokenScanner.FindAll("dt0c01.ABCDEFGHIJ.SHORT " + token));
        Assert.Equal(4, Assert.Single(TokenScanner.FindAll("dt0." + token)).Start);
    }

    [Fact]
    public void A_token_overlapping_a_failed_candidate_is_still_found()
    {
        // The first candidate's "secret" would begin with the second token's prefix; only the second is a token.
        var token = TestTokens.RandomClassic(21);
        var text = "dt0c01.AAAAAAAA." + token;
        var match = Assert.Single(TokenScanner.FindAll(text));
        Assert.Equal(16, match.Start);
        Assert.Equal(token.Length, match.Length);
    }

    [Fact]
    public void Text_without_tokens_or_shorter_than_a_token_yields_nothing()
    {
        Assert.Empty(TokenScanner.FindAll(string.Empty));
        Assert.Empty(TokenScanner.FindAll("dt0"));
        Assert.Empty(TokenScanner.FindAll(Token.AsSpan()[..^1]));
        Assert.Empty(TokenScanner.FindAll(new string('d', 1000)));
        Assert.False(TokenScanner.ContainsToken("nothing to see dt0c01.ST2EY72KQINMH574WMNVI7YN here"));
    }

    [Fact]
    public void Contains_and_count_agree_with_find_all()
    {
        var text = $"{TestTokens.RandomClassic(1)} and {TestTokens.RandomClassic(2)} and {TestTokens.RandomPlatform(3)}";
        Assert.True(TokenScanner.ContainsToken(text));
        Assert.Equal(3, TokenScanner.Count(text));
        Assert.Equal(3, TokenScanner.Count(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("dt0c01", TokenKind.ClassicApiToken, 24)]
    [InlineData("dt0s16", TokenKind.PlatformToken, 8)]
    [InlineData("dt0s02", TokenKind.OAuthClientSecret, 8)]
    [InlineData("dt0s03", TokenKind.OAuthClientSecret, 8)]
    [InlineData("dt0s08", TokenKind.OAuthClientSecret, 8)]
    [InlineData("dt0g02", TokenKind.Unsupported, 8)]
    [InlineData("dt0s01", TokenKind.Unsupported, 24)]
    [InlineData("dt0s06", TokenKind.Unsupported, 24)]
    public void Classifies_found_tokens_by_prefix(string prefix, TokenKind kind, int publicLength)
    {
        var token = TestTokens.Text(prefix, 30, publicLength);
        var secret = Assert.Single(TokenScanner.FindSecrets($"see {token}."));
        Assert.Equal(kind, secret.Kind);
        Assert.Equal(token[..(TokenPrefixes.PrefixLength + 1 + publicLength)], secret.Id.Value);
        Assert.Equal(prefix, secret.Id.Prefix);
    }

    [Fact]
    public void Fingerprint_is_lowercase_hex_sha256_of_the_whole_token()
    {
        var secret = Assert.Single(TokenScanner.FindSecrets($"x {Token} y"));
        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Token))).ToLowerInvariant();
        Assert.Equal(expected, secret.Fingerprint);
        Assert.Equal(expected, TokenFingerprint.Of(Token));
    }

    [Fact]
    public void Utf8_bytes_give_byte_offsets_and_the_same_tokens()
    {
        var a = TestTokens.RandomClassic(40);
        var b = TestTokens.RandomPlatform(41);
        var text = $"ünïcødé → {a} 日本 {b}é{TestTokens.RandomClassic(42)}x";
        var bytes = Encoding.UTF8.GetBytes(text);

        var matches = TokenScanner.FindAll(bytes);
        Assert.Equal(2, matches.Count);
        Assert.Equal(Encoding.UTF8.GetByteCount(text[..text.IndexOf(a, StringComparison.Ordinal)]), matches[0].Start);
        Assert.Equal(a, Encoding.ASCII.GetString(bytes, matches[0].Start, matches[0].Length));
        Assert.Equal(b, Encoding.ASCII.GetString(bytes, matches[1].Start, matches[1].Length));

        var fromBytes = TokenScanner.FindSecrets(bytes);
        Assert.Equal(TokenScanner.FindSecrets(text).Select(s => s.Fingerprint), fromBytes.Select(s => s.Fingerprint));
        Assert.Equal(TokenKind.PlatformToken, fromBytes[1].Kind);
    }

    [Fact]
    public void Utf8_multibyte_neighbours_are_not_token_characters()
    {
        var bytes = Encoding.UTF8.GetBytes("é" + Token + "é");
        Assert.Equal(2, Assert.Single(TokenScanner.FindAll(bytes)).Start);
    }

    [Fact]
    public void Agrees_with_the_reference_regex_on_random_near_miss_text()
    {
        // Text built from token fragments, dots, separators and lowercase letters produces many near-misses.
        var random = new Random(1234);
        string[] pieces =
        [
            "dt0c01.", "dt0s16.", "dt0", "dt0C01.", "DT0c01.", ".", " ", "a", "Z", "_", "\n",
            TestTokens.Chars(random, 8), TestTokens.Chars(random, 24), TestTokens.Chars(random, 64), TestTokens.Chars(random, 7),
        ];
        for (var round = 0; round < 400; round++)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < 30; i++)
            {
                sb.Append(random.Next(6) == 0 ? TestTokens.Text("dt0c01", random.Next(), random.Next(6, 27)) : pieces[random.Next(pieces.Length)]);
            }

            var text = sb.ToString();
            var expected = Reference.Matches(text).Select(m => (m.Index, m.Length)).ToArray();
            var actual = TokenScanner.FindAll(text).Select(m => (m.Start, m.Length)).ToArray();
            Assert.Equal(expected, actual);
            Assert.Equal(expected, TokenScanner.FindAll(Encoding.UTF8.GetBytes(text)).Select(m => (m.Start, m.Length)).ToArray());
        }
    }

    [Fact]
    public void Scanning_text_without_tokens_allocates_nothing()
    {
        var text = string.Concat(Enumerable.Repeat("2026-11-23T10:00:00Z INFO id=0 dt0 user=d00d request done in 12ms\n", 2000));
        var bytes = Encoding.UTF8.GetBytes(text);
        _ = TokenScanner.Count(text);
        _ = TokenScanner.Count(bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = TokenScanner.Count(text) + TokenScanner.Count(bytes);
        var contains = TokenScanner.ContainsToken(text) || TokenScanner.ContainsToken(bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, count);
        Assert.False(contains);
        Assert.Equal(0, allocated);
    }
}
