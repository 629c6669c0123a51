using System.Text;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tests.Sources.Support;
using TokenFunctions.Engine.Tokens;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class PartnerEndpointTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task GitHub_documented_sample_verifies_with_GitHubs_published_key()
    {
        var body = Encoding.UTF8.GetBytes(FakePartnerKeys.DocsPayload);
        var result = (WebhookResult)await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.DocsKeyId, FakePartnerKeys.DocsSignature), CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        var label = Assert.Single(result.ReadBody(SourcesJsonContext.Default.ListPartnerFeedbackLabel)!);
        Assert.Equal(TokenFingerprint.Of("some_token"), label.TokenHash);
        Assert.Equal("some_type", label.TokenType);
        Assert.Equal("false_positive", label.Label);
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task GitHub_documented_sample_fails_when_one_byte_changes()
    {
        var body = Encoding.UTF8.GetBytes(FakePartnerKeys.DocsPayload.Replace("some_token", "some_tokeN", StringComparison.Ordinal));
        var result = await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.DocsKeyId, FakePartnerKeys.DocsSignature), CancellationToken.None);
        Assert.Equal(401, Status(result));
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.GitHubPartner, "bad_signature"));
    }

    [Fact]
    public async Task Dynatrace_tokens_are_disabled_and_labelled_by_shape_not_by_type()
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(1), "some_wrong_type"), ("ghp_notdynatrace", "dynatrace_api_token"), ("prefix " + TestTokens.Classic(2), "x"));
        var result = (WebhookResult)await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None);

        var (status, text, _) = await ExecuteAsync(result);
        Assert.Equal(200, status);
        Assert.Equal([TestTokens.Id(1), TestTokens.Id(2)], _h.Kill.AllLeaks.Select(l => l.TokenId).ToArray());
        var labels = result.ReadBody(SourcesJsonContext.Default.ListPartnerFeedbackLabel)!;
        Assert.Equal(["true_positive", "false_positive", "true_positive"], labels.Select(l => l.Label).ToArray());
        Assert.Equal(TokenFingerprint.Of(TestTokens.Classic(1)), labels[0].TokenHash);
        Assert.DoesNotContain("token_raw", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(1), text, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_notdynatrace", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Labels_are_the_same_whatever_the_kill_switch_found()
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(3), "dynatrace_api_token"));
        var disabled = await ExecuteAsync(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None));
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, Engine.Kill.TokenOutcomeKind.NotFound));
        var notFound = await ExecuteAsync(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None));
        Assert.Equal(disabled.Status, notFound.Status);
        Assert.Equal(disabled.Body, notFound.Body);
    }

    [Fact]
    public async Task Failed_outcomes_are_queued_and_a_failed_hand_off_is_503()
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(4), "dynatrace_api_token"));
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, Engine.Kill.TokenOutcomeKind.Failed));
        Assert.Equal(200, Status(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None)));
        Assert.Equal([TestTokens.Id(4).Value], Assert.Single(_h.Queue.Disables).Tokens);

        _h.Queue.Fail = true;
        Assert.Equal(503, Status(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None)));
    }

    [Theory]
    [InlineData(null, "sig", "missing_signature")]
    [InlineData(FakePartnerKeys.TestKeyId, null, "missing_signature")]
    [InlineData(FakePartnerKeys.TestKeyId, "%%%not-base64%%%", "malformed_signature")]
    [InlineData("unknown-key", "MEQCIQDaMKqrGnE27S0kgMrEK0eYBmyG0LeZismAEz/BgZyt7AIfXt9fErtRS4XaeSt/AO1RtBY66YcAdjxji410VQV4xg==", "unknown_key")]
    [InlineData(FakePartnerKeys.TestKeyId, "MEQCIQDaMKqrGnE27S0kgMrEK0eYBmyG0LeZismAEz/BgZyt7AIfXt9fErtRS4XaeSt/AO1RtBY66YcAdjxji410VQV4xg==", "bad_signature")]
    public async Task Unverifiable_requests_are_401_and_never_act(string? keyId, string? signature, string reason)
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(5), "dynatrace_api_token"));
        var request = Post(body);
        if (keyId is not null)
        {
            request.Headers["Github-Public-Key-Identifier"] = keyId;
        }

        if (signature is not null)
        {
            request.Headers["Github-Public-Key-Signature"] = signature;
        }

        Assert.Equal(401, Status(await _h.Partner.HandleAsync(request, CancellationToken.None)));
        Assert.Equal(0, _h.Kill.CallCount);
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.GitHubPartner, reason));
        Assert.Empty(_h.Audit.Records);
    }

    [Fact]
    public async Task A_report_signed_with_a_key_GitHub_no_longer_marks_current_is_401_and_never_acts()
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(6), "dynatrace_api_token"));

        // A valid signature, but by a key whose is_current is false.
        var result = await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.RetiredKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None);

        Assert.Equal(401, Status(result));
        Assert.Equal(0, _h.Kill.CallCount);
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.GitHubPartner, "retired_key"));
        Assert.Equal(200, Status(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None)));
    }

    [Fact]
    public async Task Keys_unavailable_is_503_so_GitHub_retries()
    {
        _h.PartnerKeys.ForcedStatus = PartnerKeyStatus.Unavailable;
        var body = SamplePayloads.Partner((TestTokens.Classic(5), "dynatrace_api_token"));
        Assert.Equal(503, Status(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None)));
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Theory]
    [InlineData("{\"token\":\"x\"}")]
    [InlineData("[{\"type\":\"x\"}]")]
    [InlineData("[null]")]
    [InlineData("[{\"token\":1}]")]
    [InlineData("[{\"token\":\"a\",\"token\":\"b\"}]")]
    [InlineData("[{\"token\":\"a\"},]")]
    public async Task Signed_but_malformed_bodies_are_400(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.Equal(400, Status(await _h.Partner.HandleAsync(Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)), CancellationToken.None)));
        Assert.Equal(0, _h.Kill.CallCount);
    }
}
