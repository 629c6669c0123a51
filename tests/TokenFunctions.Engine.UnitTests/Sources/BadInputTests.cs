using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

/// <summary>Every refusal path of every source: the right 4xx, a counter, and zero kill-switch calls, audits or queue messages.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create(s => s["Sources:MaxBodyBytes"] = "4096");

    public static TheoryData<string> Sources => [SourceNames.GitHubAlert, SourceNames.GitHubPartner, SourceNames.GitGuardian, SourceNames.Generic, SourceNames.GitLab];

    public void Dispose() => _h.Dispose();

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Oversize_by_content_length_is_413(string source)
    {
        var request = Signed(source, new byte[5000]);
        await AssertRefused(source, request, 413, "payload_too_large");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Oversize_by_streamed_length_is_413(string source)
    {
        var request = Signed(source, new byte[5000]);
        request.ContentLength = null;
        await AssertRefused(source, request, 413, "payload_too_large");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Wrong_content_type_is_415(string source)
    {
        var request = Signed(source, ValidBody(source));
        request.ContentType = "application/x-www-form-urlencoded";
        await AssertRefused(source, request, 415, "unsupported_media_type");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Missing_signature_is_401(string source)
    {
        var request = Post(ValidBody(source));
        if (source == SourceNames.GitGuardian || source == SourceNames.Generic)
        {
            request.Headers[source == SourceNames.GitGuardian ? "Timestamp" : "X-TokenFunctions-Timestamp"] = _h.NowUnix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var reason = source switch
        {
            SourceNames.GitLab => "missing_authorization",
            _ => "missing_signature",
        };
        await AssertRefused(source, request, 401, reason);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Signature_over_a_different_body_is_401(string source)
    {
        var signed = Signed(source, ValidBody(source));
        var tampered = ValidBody(source);
        tampered[^2] ^= 0x01;
        signed.Body = new MemoryStream(tampered);
        var reason = source == SourceNames.GitLab ? null : "bad_signature";
        if (reason is null)
        {
            return; // GitLab authenticates the caller, not the body
        }

        await AssertRefused(source, signed, 401, reason);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Wrong_method_is_405(string source)
    {
        var request = Signed(source, ValidBody(source));
        request.Method = "PUT";
        await AssertRefused(source, request, 405, "method_not_allowed");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Malformed_json_after_a_valid_signature_is_400(string source)
    {
        var result = await Handle(source, Signed(source, Utf8("{\"action\": \"created\", ")));
        Assert.Equal(400, Status(result));
        AssertNothingHappened();
        Assert.Equal(0, _h.Metrics.SignatureFailures(source));
    }

    private async Task AssertRefused(string source, HttpRequest request, int status, string reason)
    {
        var result = await Handle(source, request);
        Assert.Equal(status, Status(result));
        Assert.Equal(1, _h.Metrics.SignatureFailures(source, reason));
        AssertNothingHappened();
    }

    private void AssertNothingHappened()
    {
        Assert.Equal(0, _h.Kill.CallCount);
        Assert.Empty(_h.Queue.Messages);
        Assert.Empty(_h.Audit.Records);
        Assert.Empty(_h.GitHub.Fetched);
    }

    private Task<IActionResult> Handle(string source, HttpRequest request) => source switch
    {
        SourceNames.GitHubAlert => _h.GitHubAlert.HandleAsync(request, CancellationToken.None),
        SourceNames.GitHubPartner => _h.Partner.HandleAsync(request, CancellationToken.None),
        SourceNames.GitGuardian => _h.GitGuardian.HandleAsync(request, CancellationToken.None),
        SourceNames.Generic => _h.Generic.HandleAsync(request, CancellationToken.None),
        _ => _h.GitLab.RevokeTokensAsync(request, CancellationToken.None),
    };

    private static byte[] ValidBody(string source) => source switch
    {
        SourceNames.GitHubAlert => SamplePayloads.GitHubAlert(),
        SourceNames.GitHubPartner => SamplePayloads.Partner((TestTokens.Classic(1), "dynatrace_api_token")),
        SourceNames.GitGuardian => SamplePayloads.GitGuardian(secretHash: TestTokens.Secret(1).Fingerprint),
        SourceNames.Generic => SamplePayloads.Generic([TestTokens.Classic(1)]),
        _ => SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(1))),
    };

    private HttpRequest Signed(string source, byte[] body) => source switch
    {
        SourceNames.GitHubAlert => GitHubAlert(body),
        SourceNames.GitHubPartner => Partner(body, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(body)),
        SourceNames.GitGuardian => GitGuardian(body, _h.NowUnix),
        SourceNames.Generic => Generic(body, _h.NowUnix),
        _ => GitLab(body),
    };
}
