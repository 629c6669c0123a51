using System.Text;
using TokenFunctions.Engine.Dynatrace.Http;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

public sealed class ErrorEnvelopeParserTests
{
    private const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    [Fact]
    public void The_envelope_gives_the_message_and_the_constraint_violations()
    {
        var body = """
            {"error":{"code":400,"message":"Constraints violated.","constraintViolations":[
              {"path":"pageSize","message":"must be between 100 and 10000","parameterLocation":"QUERY","location":null},
              {"path":"name","message":"must not be null","parameterLocation":"PAYLOAD_BODY"}]}}
            """;

        var error = ErrorEnvelopeParser.Parse(400, Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("Constraints violated.", error.Message);
        Assert.Equal(["pageSize: must be between 100 and 10000 (QUERY)", "name: must not be null (PAYLOAD_BODY)"], error.ConstraintViolations);
    }

    [Fact]
    public void The_own_token_refusal_message_survives_intact()
    {
        var body = """{"error":{"code":400,"message":"You can't disable the token you're using for authentication of the request."}}""";

        var error = ErrorEnvelopeParser.Parse(400, Encoding.UTF8.GetBytes(body));

        Assert.Equal("You can't disable the token you're using for authentication of the request.", error.Message);
        Assert.Null(error.ConstraintViolations);
    }

    [Theory]
    [InlineData(404, "Not found.")]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(599, "No error body.")]
    public void An_empty_body_falls_back_to_the_status(int status, string message)
    {
        Assert.Equal(message, ErrorEnvelopeParser.Parse(status, []).Message);
    }

    [Fact]
    public void The_OAuth_error_shape_from_the_SSO_is_read()
    {
        var error = ErrorEnvelopeParser.Parse(400, """{"error":"invalid_client","error_description":"Client authentication failed."}"""u8);

        Assert.Equal("invalid_client: Client authentication failed.", error.Message);
    }

    [Fact]
    public void A_plain_text_body_becomes_the_message_and_HTML_or_broken_JSON_does_not()
    {
        Assert.Equal("upstream connect error", ErrorEnvelopeParser.Parse(503, "upstream connect error\n"u8).Message);
        Assert.Equal("BadGateway", ErrorEnvelopeParser.Parse(502, "<html><body>Bad gateway</body></html>"u8).Message);
        Assert.Equal("InternalServerError", ErrorEnvelopeParser.Parse(500, "{\"error\": "u8).Message);
    }

    [Fact]
    public void Secrets_echoed_in_any_part_of_an_error_are_redacted()
    {
        var body = $$$"""{"error":{"code":400,"message":"Token {{{Secret}}} is bad","constraintViolations":[{"path":"token","message":"{{{Secret}}} invalid","parameterLocation":"PAYLOAD_BODY"}]}}""";

        var error = ErrorEnvelopeParser.Parse(400, Encoding.UTF8.GetBytes(body));
        var plain = ErrorEnvelopeParser.Parse(400, Encoding.UTF8.GetBytes("rejected " + Secret));
        var oauth = ErrorEnvelopeParser.Parse(400, Encoding.UTF8.GetBytes($$$"""{"error":"invalid_client","error_description":"{{{Secret}}}"}"""));

        var all = error.Message + string.Join("", error.ConstraintViolations!) + plain.Message + oauth.Message;
        Assert.DoesNotContain("G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM", all, StringComparison.Ordinal);
        Assert.Contains("dt0c01.ST2EY72KQINMH574WMNVI7YN.***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_messages_are_cut_and_kept_on_one_line()
    {
        var message = ErrorEnvelopeParser.Clean("line one\nline two " + new string('x', 2000));

        Assert.DoesNotContain('\n', message);
        Assert.True(message.Length <= 501);
        Assert.EndsWith("…", message, StringComparison.Ordinal);
    }
}
