using System.Text;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Http;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

public sealed class ClientRequestShapeTests
{
    [Fact]
    public void With_a_nextPageKey_the_list_sends_nothing_else()
    {
        var query = new ApiTokenQuery { ApiTokenSelector = "owner(\"a\")", PageSize = 500, NextPageKey = "AbC+/=" };

        Assert.Equal("?nextPageKey=AbC%2B%2F%3D", EnvironmentTokenClient.ListQuery(query));
    }

    [Fact]
    public void The_first_list_page_sends_encoded_selector_fields_and_page_size()
    {
        var query = new ApiTokenQuery { ApiTokenSelector = "owner(\"a b@x.com\"),personalAccessToken(false)", Fields = "+scopes", PageSize = 100 };

        Assert.Equal(
            "?apiTokenSelector=owner%28%22a%20b%40x.com%22%29%2CpersonalAccessToken%28false%29&fields=%2Bscopes&pageSize=100",
            EnvironmentTokenClient.ListQuery(query));
        Assert.Equal("", EnvironmentTokenClient.ListQuery(new ApiTokenQuery { Fields = null }));
    }

    [Fact]
    public void The_platform_token_list_sends_both_paging_pairs_search_status_and_a_page_only_when_one_was_named()
    {
        // The docs' page/size and dtctl's pageNumber/pageSize together; the sizes differ by one so the echo tells which was read.
        Assert.Equal("?size=50&pageSize=49&page=2&pageNumber=2&searchTerm=dt0s16.ABCDEFGH&status=INACTIVE", AccountTokenClient.ListQuery(new PlatformTokenQuery("dt0s16.ABCDEFGH", "INACTIVE", 2, 50)));
        Assert.Equal("?size=100&pageSize=99", AccountTokenClient.ListQuery(new PlatformTokenQuery()));
        Assert.Equal("?size=1&pageSize=1", AccountTokenClient.ListQuery(new PlatformTokenQuery(Size: 1)));
    }

    [Theory]
    [InlineData("https://abc.live.dynatrace.com", "https://abc.live.dynatrace.com/api/v2/apiTokens")]
    [InlineData("https://abc.live.dynatrace.com/", "https://abc.live.dynatrace.com/api/v2/apiTokens")]
    [InlineData("https://dt.example.com/e/env1", "https://dt.example.com/e/env1/api/v2/apiTokens")]
    [InlineData("https://dt.example.com/e/env1/", "https://dt.example.com/e/env1/api/v2/apiTokens")]
    public void Paths_hang_off_the_base_URL_with_or_without_a_trailing_slash(string baseUrl, string expected)
    {
        Assert.Equal(expected, DynatraceUrls.Combine(new Uri(baseUrl), "api/v2/apiTokens").ToString());
    }

    [Theory]
    [InlineData("You can't disable the token you're using for authentication of the request.", false, true)]
    [InlineData("You can't update the token you're using for authentication of the request.", false, true)]
    [InlineData("You can't delete the token you are using for authentication", false, true)]
    [InlineData("The token used for authentication can't be modified", false, true)]
    [InlineData("Constraints violated.", true, true)]
    [InlineData("Constraints violated.", false, false)]
    public void An_own_credential_refusal_is_a_400_by_message_or_by_target(string message, bool targetIsCaller, bool expected)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"error":{"code":400,"message":"{{{message}}}"}}""");

        Assert.Equal(expected, EnvironmentTokenClient.IsOwnCredentialRefusal(new DynatraceResponse(400, body, null, null), targetIsCaller));
        Assert.False(EnvironmentTokenClient.IsOwnCredentialRefusal(new DynatraceResponse(403, body, null, null), targetIsCaller));
    }

    [Theory]
    [InlineData(401, DynatraceStatus.Unauthorized)]
    [InlineData(403, DynatraceStatus.Forbidden)]
    [InlineData(404, DynatraceStatus.NotFound)]
    [InlineData(429, DynatraceStatus.Transient)]
    [InlineData(500, DynatraceStatus.Transient)]
    [InlineData(503, DynatraceStatus.Transient)]
    [InlineData(400, DynatraceStatus.BadRequest)]
    [InlineData(409, DynatraceStatus.BadRequest)]
    [InlineData(302, DynatraceStatus.BadRequest)]
    public void Status_codes_map_to_typed_results(int status, DynatraceStatus expected)
    {
        var result = new DynatraceResponse(status, [], TimeSpan.FromSeconds(3), null).Fail<Done>();

        Assert.Equal(expected, result.Status);
        Assert.Equal(status, result.Error!.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Error.RetryAfter);
    }

    [Fact]
    public void A_transport_failure_is_Transient_with_status_zero()
    {
        var result = DynatraceResponse.Transport("Connection failure (ConnectionError) after 3 attempt(s).").Fail<Done>();

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Equal("Connection failure (ConnectionError) after 3 attempt(s).", result.Error!.ToString());
    }
}
