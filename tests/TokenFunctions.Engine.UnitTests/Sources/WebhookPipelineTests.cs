using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

/// <summary>
/// The rules <see cref="Engine.Sources.Pipeline.WebhookPipeline"/> holds once for all five sources: hand-off failure is
/// 503 and releases every claim; once the tokens are disabled or queued the answer is 2xx whatever the follow-ups do;
/// leak rotation never runs before the answer; follow-ups are bounded by their budget.
/// </summary>
public sealed class WebhookPipelineTests : IDisposable
{
    public static readonly TheoryData<string> Sources =
        [SourceNames.GitHubAlert, SourceNames.GitHubPartner, SourceNames.GitGuardian, SourceNames.Generic, SourceNames.GitLab];

    private readonly SourcesHarness _h = SourcesHarness.Create();

    public WebhookPipelineTests() => _h.Credentials.Add(TestTokens.Secret(1));

    public void Dispose() => _h.Dispose();

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_failed_hand_off_is_503_with_Retry_After_and_releases_every_claim_so_the_retry_acts(string source)
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Failed));
        _h.Queue.Fail = true;
        var timestamp = _h.NowUnix;

        var failed = (WebhookResult)await Handle(source, Request(source, timestamp));

        Assert.Equal((503, "handoff_failed"), (failed.StatusCode, failed.Reason));
        Assert.Equal(WebhookPipelineRetryAfter, failed.RetryAfter);
        Assert.Contains(_h.Audit.Records, r => r.Action == "handoff" && r.Outcome == "HandOffFailed");

        // The sender retries the very same request (same signature, same delivery): nothing holds it back.
        _h.Queue.Fail = false;
        var retried = (WebhookResult)await Handle(source, Request(source, timestamp));
        Assert.InRange(retried.StatusCode, 200, 299);
        Assert.Equal(2, _h.Kill.CallCount);
        Assert.Equal(TestTokens.Id(1).Value, Assert.Single(Assert.Single(_h.Queue.Disables).Tokens));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task No_Key_Vault_call_before_the_answer_the_leak_rotation_of_a_disabled_token_is_queued(string source)
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(new KillResult(
            [.. r.Leaks.Select(l => new TokenOutcome { TokenId = l.TokenId, Outcome = TokenOutcomeKind.Disabled, LeakRotationPending = r.DeferLeakRotation })]));

        var answered = (WebhookResult)await Handle(source, Request(source, _h.NowUnix));

        Assert.InRange(answered.StatusCode, 200, 299);
        Assert.True(Assert.Single(_h.Kill.Requests).DeferLeakRotation);
        var rotate = Assert.Single(_h.Queue.Messages.OfType<RotateMessage>());
        Assert.True(rotate.Leaked);
        Assert.Equal([TestTokens.Id(1).Value], rotate.TokenIds);
        Assert.Equal(source, rotate.Source);
        Assert.StartsWith(source + ":", rotate.IncidentId, StringComparison.Ordinal);
        Assert.Contains(_h.Audit.Records, r => r.Action == "leak-rotate" && r.Outcome == "Queued");
        Assert.DoesNotContain(_h.Queue.Disables, d => d.GitHubAlert is null);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Every_token_disabled_is_2xx_even_when_the_queue_refuses_the_follow_ups_which_are_retried(string source)
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(new KillResult(
            [.. r.Leaks.Select(l => new TokenOutcome { TokenId = l.TokenId, Outcome = TokenOutcomeKind.Disabled, LeakRotationPending = true })]));
        _h.Queue.Fail = true;

        var answered = (WebhookResult)await Handle(source, Request(source, _h.NowUnix));

        Assert.InRange(answered.StatusCode, 200, 299);
        var handOffs = _h.Services.GetRequiredService<FollowUpHandOff>();
        Assert.Equal(1, handOffs.PendingCount);
        Assert.Contains(_h.Audit.Records, r => r.Action == "leak-rotate" && r.Outcome == "HandOffFailed");

        _h.Queue.Fail = false;
        Assert.Equal(0, await handOffs.RetryPendingAsync(CancellationToken.None));
        Assert.True(Assert.Single(_h.Queue.Messages.OfType<RotateMessage>()).Leaked);

        // The delivery was answered 2xx, so its claim is complete: a redelivery does not act twice.
        var again = (WebhookResult)await Handle(source, Request(source, _h.NowUnix));
        Assert.Equal(source == SourceNames.GitHubPartner ? 2 : 1, _h.Kill.CallCount);
        Assert.True(again.StatusCode < 500);
    }

    [Fact]
    public async Task A_4xx_after_verification_completes_the_replay_claim_and_a_5xx_releases_it()
    {
        var invalid = Utf8("{\"tokens\":[]}");
        var timestamp = _h.NowUnix;
        Assert.Equal(400, Status(await _h.Generic.HandleAsync(Generic(invalid, timestamp), CancellationToken.None)));
        Assert.Equal(409, Status(await _h.Generic.HandleAsync(Generic(invalid, timestamp), CancellationToken.None)));
    }

    [Fact]
    public async Task GitGuardian_while_Key_Vault_is_unavailable_is_503_and_its_retry_is_accepted()
    {
        using var h = SourcesHarness.Create();
        h.Credentials.Add(TestTokens.Secret(1));
        h.Credentials.Failure = new ManagedCredentialIndexUnavailableException("down");
        var body = SamplePayloads.GitGuardian(secretHash: TestTokens.Secret(1).Fingerprint);
        var timestamp = h.NowUnix;

        var down = (WebhookResult)await h.GitGuardian.HandleAsync(GitGuardian(body, timestamp), CancellationToken.None);
        Assert.Equal((503, "credential_index_unavailable"), (down.StatusCode, down.Reason));
        Assert.NotNull(down.RetryAfter);
        Assert.Equal(0, h.Kill.CallCount);

        h.Credentials.Failure = null;
        Assert.Equal(200, Status(await h.GitGuardian.HandleAsync(GitGuardian(body, timestamp), CancellationToken.None)));
        Assert.Equal(TestTokens.Id(1), Assert.Single(h.Kill.AllLeaks).TokenId);
    }

    [Fact]
    public async Task A_slow_GitHub_delays_the_answer_by_the_follow_up_budget_not_the_inline_deadline()
    {
        _h.GitHub.Resolve = async (attempt, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            return GitHubResolveStatus.Failed;
        };

        var pending = _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-slow"), CancellationToken.None);
        await _h.GitHub.ResolveCalled.Task;
        _h.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(pending.IsCompleted);
        _h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var answered = await pending;

        Assert.Equal(200, Status(answered));
        Assert.Equal(42, Assert.Single(_h.Queue.Disables).GitHubAlert!.Number);
    }

    private static readonly TimeSpan WebhookPipelineRetryAfter = Engine.Sources.Pipeline.WebhookPipeline.HandOffRetryAfter;

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> Handle(string source, HttpRequest request) => FuzzTests.Handle(_h, source, request);

    /// <summary>The same delivery each time it is built (same body, timestamp, signature and delivery id).</summary>
    private HttpRequest Request(string source, long timestamp) => source switch
    {
        SourceNames.GitHubAlert => GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-pipeline"),
        SourceNames.GitHubPartner => Partner(Partner1, FakePartnerKeys.TestKeyId, _h.PartnerKeys.Sign(Partner1)),
        SourceNames.GitGuardian => GitGuardian(SamplePayloads.GitGuardian(secretHash: TestTokens.Secret(1).Fingerprint), timestamp),
        SourceNames.Generic => Generic(SamplePayloads.Generic([TestTokens.Classic(1)], id: "evt-pipeline"), timestamp),
        _ => GitLab(SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(1)))),
    };

    private static readonly byte[] Partner1 = SamplePayloads.Partner((TestTokens.Classic(1), "dynatrace_api_token"));
}
