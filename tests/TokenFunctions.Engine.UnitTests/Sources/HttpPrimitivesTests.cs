using System.Text;
using Microsoft.AspNetCore.Http;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class HttpPrimitivesTests
{
    [Fact]
    public void GitHub_documented_hmac_vector_signs_and_verifies()
    {
        var body = Encoding.UTF8.GetBytes("Hello, World!");
        const string expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        Assert.Equal(expected, SignedBodies.Sign("It's a Secret to Everybody", body));
        var keys = new[] { Encoding.UTF8.GetBytes("It's a Secret to Everybody") };
        Assert.Null(HmacSignature.Check(expected, keys, default, body));
        Assert.Null(HmacSignature.Check(expected.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), keys, default, body));
        Assert.Equal("bad_signature", HmacSignature.Check(expected, keys, default, Encoding.UTF8.GetBytes("Hello, World?")));
        Assert.Equal("bad_signature", HmacSignature.Check(expected, [Encoding.UTF8.GetBytes("another secret")], default, body));
    }

    [Theory]
    [InlineData(null, "missing_signature")]
    [InlineData("", "missing_signature")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "malformed_signature")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1", "malformed_signature")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1z", "malformed_signature")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "malformed_signature")]
    public void Malformed_signature_headers_are_named(string? header, string reason) =>
        Assert.Equal(reason, HmacSignature.Check(header, [Encoding.UTF8.GetBytes("k")], default, "Hello, World!"u8));

    [Fact]
    public void A_previous_secret_still_verifies_during_rotation()
    {
        var body = "payload"u8.ToArray();
        var keys = new[] { Encoding.UTF8.GetBytes("new"), Encoding.UTF8.GetBytes("old") };
        Assert.Null(HmacSignature.Check(SignedBodies.Sign("old", body), keys, default, body));
        Assert.Null(HmacSignature.Check(SignedBodies.Sign("new", body), keys, default, body));
    }

    [Fact]
    public void Prefixed_hmac_equals_hmac_of_the_concatenation()
    {
        var body = "{\"a\":1}"u8.ToArray();
        var viaPrefix = SignedBodies.Sign("s", body, "1700000000.");
        var viaConcat = SignedBodies.Sign("s", Encoding.UTF8.GetBytes("1700000000.{\"a\":1}"));
        Assert.Equal(viaConcat, viaPrefix);
    }

    [Fact]
    public async Task Declared_oversize_is_refused_without_reading_the_body()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentLength = 11;
        context.Request.Body = new ThrowingStream();
        var result = await RequestBodyReader.ReadAsync(context.Request, 10, CancellationToken.None);
        Assert.True(result.TooLarge);
    }

    [Theory]
    [InlineData(10, null, false)]
    [InlineData(11, null, true)]
    [InlineData(11, 5L, true)] // a Content-Length that lies low does not lift the cap
    [InlineData(100_000, null, true)]
    [InlineData(0, null, false)]
    public async Task Streamed_length_is_capped(int size, long? declared, bool tooLarge)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[size]);
        context.Request.ContentLength = declared;
        var result = await RequestBodyReader.ReadAsync(context.Request, 10, CancellationToken.None);
        Assert.Equal(tooLarge, result.TooLarge);
        if (!tooLarge)
        {
            Assert.Equal(size, result.Body.Length);
        }
    }

    [Fact]
    public async Task Reads_bodies_that_arrive_in_small_chunks()
    {
        var data = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var context = new DefaultHttpContext();
        context.Request.Body = new TrickleStream(data, 7);
        var result = await RequestBodyReader.ReadAsync(context.Request, 1_000_000, CancellationToken.None);
        Assert.Equal(data, result.Body.ToArray());
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData("application/vnd.github+json", true)]
    [InlineData("application/json; charset=iso-8859-1", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("text/plain", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Json_content_type(string? value, bool expected) => Assert.Equal(expected, JsonContentType.IsJson(value));

    [Theory]
    [InlineData("1772366400", true)]
    [InlineData("1772366400000", true)]
    [InlineData("-5", false)]
    [InlineData("12ab", false)]
    [InlineData("", false)]
    [InlineData("99999999999999999999", false)]
    public void Unix_timestamps(string value, bool ok) => Assert.Equal(ok, UnixTimestamp.TryParse(value, out _));

    [Fact]
    public void Timestamp_window_cuts_both_ways()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_772_366_400);
        Assert.True(UnixTimestamp.IsWithin(now.AddMinutes(-5), now, TimeSpan.FromMinutes(5)));
        Assert.False(UnixTimestamp.IsWithin(now.AddMinutes(-5).AddSeconds(-1), now, TimeSpan.FromMinutes(5)));
        Assert.False(UnixTimestamp.IsWithin(now.AddMinutes(6), now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Shared_secret_comparison()
    {
        Assert.True(SharedSecretComparer.Matches("abc", ["zzz", "abc"]));
        Assert.False(SharedSecretComparer.Matches("abcd", ["abc"]));
        Assert.False(SharedSecretComparer.Matches("", [""]));
        Assert.False(SharedSecretComparer.Matches(null, ["abc"]));
    }

    [Fact]
    public async Task Error_results_write_json_and_hide_the_401_reason()
    {
        var (status, body, headers) = await WebhookRequests.ExecuteAsync(WebhookResult.Error(401, "bad_signature"));
        Assert.Equal(401, status);
        Assert.Equal("{\"error\":\"unauthorized\"}", body);
        Assert.Equal("no-store", headers.CacheControl.ToString());

        var (status429, body429, headers429) = await WebhookRequests.ExecuteAsync(WebhookResult.Error(429, "rate_limited", TimeSpan.FromSeconds(1.2)));
        Assert.Equal(429, status429);
        Assert.Contains("rate_limited", body429, StringComparison.Ordinal);
        Assert.Equal("2", headers429.RetryAfter.ToString());
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("must not read");
    }

    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
