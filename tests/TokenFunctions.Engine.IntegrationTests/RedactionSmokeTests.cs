using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests;

public sealed class RedactionSmokeTests
{
    [Fact]
    public void Redaction_keeps_the_id_and_masks_the_secret()
    {
        var text = "leaked dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM here";
        Assert.Equal("leaked dt0c01.ST2EY72KQINMH574WMNVI7YN.*** here", Redaction.Redact(text));
    }
}
