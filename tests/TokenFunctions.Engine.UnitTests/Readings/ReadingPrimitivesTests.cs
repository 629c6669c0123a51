using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Readings;

/// <summary>The small decisions the readings rest on: server-form ids, which search hit is the token, Phase 3 refusals.</summary>
public sealed class ReadingPrimitivesTests
{
    private static readonly TokenId Leaked = TokenId.Parse("dt0s16.TYUHJKNM");

    [Theory]
    [InlineData("dt0s16.TYUHJKNM", false)]
    [InlineData("2b794097-8ad2-4b32-b923-0131da2eeddf", true)]
    [InlineData("tok-001", true)]
    public void A_server_id_is_kept_in_its_own_form_and_counts_as_a_platform_token(string text, bool serverForm)
    {
        Assert.True(TokenId.TryFromServer(text, out var id));
        Assert.Equal(serverForm, id.IsServerForm);
        Assert.Equal(TokenKind.PlatformToken, id.Kind);
        Assert.Equal(text, id.Value);
        Assert.False(TokenId.TryParse(serverForm ? text : "x", out _)); // leak sources never produce one
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("dt0s16.TYUHJKNM.SECRETSECRET")]
    public void Text_unsafe_as_an_id_is_no_server_id(string text) => Assert.False(TokenId.TryFromServer(text, out _));

    [Fact]
    public void The_token_is_the_exact_id_or_the_single_server_form_item_whose_shown_fields_do_not_name_it()
    {
        PlatformTokenInfo Item(string serverId, string name) => new() { Id = TokenId.TryFromServer(serverId, out var id) ? id : default, ServerId = serverId, Name = name };
        var named = Item("7d3c1f4e-0000-4000-8000-000000000001", "copy of " + Leaked.Value);
        var hidden = Item("7d3c1f4e-0000-4000-8000-000000000002", "automation");

        Assert.Equal([hidden], PlatformTokenMatch.HiddenMatches([named, hidden], Leaked));
        Assert.Null(PlatformTokenMatch.Exact([named, hidden], Leaked));
        Assert.Same(named, PlatformTokenMatch.Exact([named], TokenId.TryFromServer(named.ServerId, out var byServerId) ? byServerId : default));
        Assert.Empty(PlatformTokenMatch.HiddenMatches([Item(Leaked.Value, "automation")], Leaked)); // a dt0s16 item is exact or nothing
    }

    [Fact]
    public void A_404_is_gone_only_at_the_server_s_own_id_or_where_the_server_is_known_to_use_dt0s16_ids()
    {
        var book = new PlatformIdBook();
        Assert.False(book.NotFoundIsConclusive(Leaked.Value));
        Assert.True(book.NotFoundIsConclusive("7d3c1f4e-0000-4000-8000-000000000002"));

        book.Remember(Leaked, "7d3c1f4e-0000-4000-8000-000000000002");
        Assert.Equal(PlatformIdForm.ServerAssigned, book.Form);
        Assert.Equal("7d3c1f4e-0000-4000-8000-000000000002", book.AddressOf(Leaked));
        Assert.Equal(Leaked, book.IdOf("7d3c1f4e-0000-4000-8000-000000000002"));
        Assert.False(book.NotFoundIsConclusive("dt0s16.OTHERONE"));

        book.Saw("dt0s16.OTHERONE");
        Assert.True(book.NotFoundIsConclusive("dt0s16.OTHERONE"));
    }

    [Theory]
    [InlineData("Classic API token creation is disabled for this environment; all new integrations must use platform tokens.", true)]
    [InlineData("Creating classic tokens is disabled.", true)]
    [InlineData("Use a platform token instead.", true)]
    [InlineData("Token is missing the required scope apiTokens.write", false)]
    [InlineData("Constraints violated.", false)]
    public void A_Phase_3_refusal_is_told_from_other_refusals(string message, bool switchedOff) =>
        Assert.Equal(switchedOff, ClassicCreation.IsSwitchedOff(message));

    [Fact]
    public void A_known_server_id_is_what_rotation_writes_to()
    {
        Assert.Equal(Leaked, TokenAddress.Of(Leaked, null));
        Assert.Equal(Leaked, TokenAddress.Of(Leaked, Leaked.Value));
        var address = TokenAddress.Of(Leaked, "7d3c1f4e-0000-4000-8000-000000000002");
        Assert.True(address.IsServerForm);
        Assert.Equal("7d3c1f4e-0000-4000-8000-000000000002", address.Value);
    }

    [Fact]
    public void Evidence_before_the_leak_is_not_use_after_it()
    {
        var since = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var before = new UsageEvidence { Since = since, LastUsedAt = since.AddDays(-3), LastUsedFrom = "10.0.0.1", LastUsedFromField = "lastClientId", AuditEntries = [] };

        Assert.False(before.UsedSinceLeak);
        Assert.Contains("before the leak was seen", before.Summary(), StringComparison.Ordinal);
        Assert.Contains("no entry made with it", before.Summary(), StringComparison.Ordinal);
        Assert.True((before with { LastUsedAt = since.AddMinutes(1) }).UsedSinceLeak);
        Assert.Contains("reports no last use", new UsageEvidence { Since = since }.Summary(), StringComparison.Ordinal);
    }
}
