using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Tests.Sources.Support;
using TokenFunctions.Engine.Tokens;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

/// <summary>
/// One definition of valid, at the door: with Dynatrace down (every token fails transiently), every request a source
/// accepts is handed to the queue through the real serializer, and the queue's own parser accepts every body. Inputs are
/// the fuzz corpora of every source plus payloads whose free fields are hostile (blank, over-long, control characters,
/// tokens inside text, ids of every length).
/// </summary>
public sealed class HandOffPropertyTests : IDisposable
{
    private const int Cases = 2_500;
    private readonly RecordingIncidentQueue _queue = new(validating: true);
    private readonly SourcesHarness _h;

    public HandOffPropertyTests()
    {
        _h = SourcesHarness.Create(s => s["Sources:GitLab:PermitsPerMinute"] = "1000000", services: s => s.AddSingleton<IIncidentQueue>(_queue));
        _h.Kill.Behavior = (request, _) => Task.FromResult(RecordingKillService.Respond(request, TokenOutcomeKind.Failed));
        for (var n = 0; n < 100; n++)
        {
            _h.Credentials.Add(TestTokens.Secret(n));
        }
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Every_accepted_input_of_every_source_is_queued_with_Dynatrace_down()
    {
        var random = new Random(20261207);
        var sources = new[] { SourceNames.GitHubAlert, SourceNames.GitHubPartner, SourceNames.GitGuardian, SourceNames.Generic, SourceNames.GitLab };
        var acted = 0;
        foreach (var i in Enumerable.Range(0, Cases))
        {
            var source = sources[i % sources.Length];
            var hostile = i % 2 == 0 ? FuzzCorpus.Hostile(random, source) : new HostileCase(FuzzCorpus.RandomBody(random, source), null);
            var request = FuzzTests.Signed(_h, source, hostile.Body);
            if (hostile.DeliveryId is { } delivery)
            {
                request.Headers[Engine.Sources.GitHub.GitHubAlertEndpoint.DeliveryHeader] = delivery;
            }

            var callsBefore = _h.Kill.CallCount;
            var sentBefore = _queue.Sent.Count;
            var status = Status(await FuzzTests.Handle(_h, source, request));
            _h.Time.Advance(TimeSpan.FromMilliseconds(10));

            var leaks = _h.Kill.Requests.Skip(callsBefore).SelectMany(r => r.Leaks).Select(l => l.TokenId.Value).ToHashSet(StringComparer.Ordinal);
            var sent = _queue.Sent.Skip(sentBefore).ToList();
            Assert.True(status < 500, $"case {i} ({source}) answered {status}: an accepted input was not handed off");
            if (leaks.Count == 0)
            {
                continue;
            }

            acted++;
            Assert.InRange(status, 200, 299);
            var queued = new HashSet<string>(StringComparer.Ordinal);
            foreach (var message in sent)
            {
                var parsed = _queue.Parser.Parse(message.Body);
                Assert.True(parsed.IsValid, $"case {i} ({source}): the queue would dead-letter the hand-off: {(parsed.IsValid ? null : parsed.Error.Description)}");
                queued.UnionWith(((DisableMessage)parsed.Message).Tokens);
                Assert.False(Redaction.ContainsSecret(System.Text.Encoding.UTF8.GetString(message.Body.Span)), $"case {i} ({source}): a secret in the hand-off");
            }

            Assert.Superset(leaks, queued);
        }

        // The corpora must reach the hand-off often enough for the property to mean something.
        Assert.True(acted > Cases / 4, $"only {acted} of {Cases} cases reached the kill-switch");
    }

    [Theory]
    [InlineData(193)]
    [InlineData(200)]
    public async Task A_GitHub_delivery_id_too_long_for_the_incident_id_is_hashed_into_a_stable_key(int length)
    {
        var delivery = new string('d', length);
        _h.Kill.Behavior = (request, _) => Task.FromResult(RecordingKillService.Respond(request, TokenOutcomeKind.Failed));

        Assert.Equal(200, Status(await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: delivery), CancellationToken.None)));
        Assert.Equal(200, Status(await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(number: 43), delivery: delivery[..^1] + "x"), CancellationToken.None)));

        var ids = _queue.Sent.Select(m => Parsed(m).IncidentId).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id.Length, 1, IncidentMessageValidator.MaxIncidentIdLength));
        Assert.All(ids, id => Assert.StartsWith("github-alert:ddd", id, StringComparison.Ordinal));
        Assert.Equal(ids[0], "github-alert:" + IncidentFields.Key(delivery, IncidentMessageValidator.MaxIncidentIdLength - "github-alert:".Length));
    }

    [Fact]
    public async Task Text_is_normalised_not_refused_and_the_kill_switch_audits_the_same_text()
    {
        var body = Utf8(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "evt\nforged log line",
            ["tokens"] = new[] { TestTokens.Classic(3) },
            ["reason"] = "  first line\r\nsecond\u0000line " + new string('x', 3_000),
            ["location"] = "   ",
            ["environment"] = new string('e', 129),
        }));

        var status = Status(await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None));

        Assert.Equal(200, status);
        var message = Parsed(Assert.Single(_queue.Sent));
        Assert.Equal(IncidentMessageValidator.MaxReasonLength, message.Reason!.Length);
        Assert.StartsWith("first line  second line xxx", message.Reason, StringComparison.Ordinal);
        Assert.EndsWith(IncidentFields.CutMarker, message.Reason, StringComparison.Ordinal);
        Assert.Null(message.Location);
        Assert.Null(message.Environment);
        Assert.DoesNotContain('\n', message.IncidentId);
        var leak = Assert.Single(_h.Kill.AllLeaks);
        Assert.Equal(message.Reason, leak.Reason);
        Assert.Equal(message.IncidentId, "generic:" + leak.CorrelationId);
    }

    private DisableMessage Parsed(OutgoingIncidentMessage sent)
    {
        var parsed = _queue.Parser.Parse(sent.Body);
        Assert.True(parsed.IsValid);
        return Assert.IsType<DisableMessage>(parsed.Message);
    }
}
