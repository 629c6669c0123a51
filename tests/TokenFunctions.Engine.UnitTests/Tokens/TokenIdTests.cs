using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Tokens;

public sealed class TokenIdTests
{
    [Theory]
    [InlineData("dt0c01.ST2EY72KQINMH574WMNVI7YN", TokenKind.ClassicApiToken)]
    [InlineData("dt0s16.TYUHJKNM", TokenKind.PlatformToken)]
    [InlineData("dt0s02.ABCDEFGH", TokenKind.OAuthClientSecret)]
    [InlineData("dt0g02.4KWZO5EF", TokenKind.Unsupported)]
    public void Parses_documented_ids_and_classifies_by_prefix(string value, TokenKind kind)
    {
        Assert.True(TokenId.TryParse(value, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(kind, id.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dt0c01")]
    [InlineData("dt0c01.short")]
    [InlineData("dt0c01.ST2EY72KQINMH574WMNVI7YNX")]
    [InlineData("xx0c01.ST2EY72KQINMH574WMNVI7YN")]
    [InlineData("dt0c01.st2ey72kqinmh574wmnvi7yn")]
    public void Rejects_what_is_not_a_token_id(string value) => Assert.False(TokenId.TryParse(value, out _));

    [Fact]
    public void A_secret_prints_only_its_id()
    {
        var token = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
        var secret = TokenSecret.Parse(token);
        Assert.Equal("dt0c01.ST2EY72KQINMH574WMNVI7YN.***", secret.ToString());
        Assert.Equal("dt0c01.ST2EY72KQINMH574WMNVI7YN.***", $"{secret}");
        Assert.Equal(64, secret.Fingerprint.Length);
        Assert.Equal(token, secret.Reveal());
    }
}
