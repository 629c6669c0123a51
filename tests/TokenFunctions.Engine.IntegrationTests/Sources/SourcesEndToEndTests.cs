using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.IntegrationTests.Sources;

/// <summary>
/// Signed requests over real HTTP into a Kestrel host wired with <c>AddLeakSources</c>: the real GitHub REST client and
/// partner key cache against a loopback GitHub, the Table ledger on Azurite, a recording kill-switch.
/// </summary>
public sealed class SourcesEndToEndTests : IAsyncLifetime
{
    private readonly string _table = "e2eledger" + Guid.NewGuid().ToString("N")[..10];
    private readonly Engine.Incidents.Ledger.InMemoryIncidentLedger _incidentLedger = new();
    private FakeGitHubServer _gitHub = null!;
    private SourcesHarness _h = null!;
    private SourcesHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _gitHub = await FakeGitHubServer.StartAsync();
        _h = SourcesHarness.Create(
            s =>
            {
                s["Sources:GitHub:ApiBaseUrl"] = _gitHub.BaseUrl.AbsoluteUri;
                s["Sources:Partner:KeysUrl"] = new Uri(_gitHub.BaseUrl, "meta/public_keys/secret_scanning").AbsoluteUri;
                s["Sources:Ledger:Mode"] = "Table";
                s["Sources:Ledger:ConnectionString"] = TableDeliveryClaimsTests.AzuriteConnection;
                s["Sources:Ledger:TableName"] = _table;
            },
            services: s => s.AddSingleton<Engine.Incidents.Ledger.IIncidentLedger>(_incidentLedger), // shared with the queue below
            fakeGitHub: false,
            fakePartnerKeys: false,
            realTime: true);
        _gitHub.KeysJson = JsonSerializer.Serialize(new
        {
            public_keys = new[]
            {
                new { key_identifier = FakePartnerKeys.DocsKeyId, key = FakePartnerKeys.DocsPublicKeyPem, is_current = true },
                new { key_identifier = FakePartnerKeys.TestKeyId, key = _h.PartnerKeys.TestPublicKeyPem, is_current = true },
                new { key_identifier = FakePartnerKeys.RetiredKeyId, key = _h.PartnerKeys.TestPublicKeyPem, is_current = false },
            },
        });
        _host = await SourcesHost.StartAsync(_h);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _h.Dispose();
        await _gitHub.DisposeAsync();
        await new Azure.Data.Tables.TableServiceClient(TableDeliveryClaimsTests.AzuriteConnection).DeleteTableAsync(_table);
    }

    [Fact]
    public async Task GitHub_alert_is_fetched_disabled_resolved_and_deduplicated()
    {
        _gitHub.AlertSecret = TestTokens.Classic(31);
        var body = SamplePayloads.GitHubAlert(number: 7);
        using var first = await PostAsync("api/webhooks/github", body, ("X-Hub-Signature-256", SignedBodies.Sign(SourcesHarness.GitHubSecret, body)),
            ("X-GitHub-Event", "secret_scanning_alert"), ("X-GitHub-Delivery", "e2e-delivery-1"));
        var text = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains(TestTokens.Id(31).Value, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(31), text, StringComparison.Ordinal);
        Assert.Equal(TestTokens.Secret(31), Assert.Single(_h.Kill.AllLeaks).Secret);
        var calls = _gitHub.Requests.Select(r => (r.Method, r.Path)).ToList();
        Assert.Equal([("GET", "/repos/octo-org/hello/secret-scanning/alerts/7"), ("PATCH", "/repos/octo-org/hello/secret-scanning/alerts/7")], calls);

        using var again = await PostAsync("api/webhooks/github", body, ("X-Hub-Signature-256", SignedBodies.Sign(SourcesHarness.GitHubSecret, body)),
            ("X-GitHub-Event", "secret_scanning_alert"), ("X-GitHub-Delivery", "e2e-delivery-1"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Fact]
    public async Task GitHub_alert_handed_off_while_dynatrace_is_down_is_resolved_over_http_once_the_queue_disables_it()
    {
        _gitHub.AlertSecret = TestTokens.Classic(36);
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, Engine.Kill.TokenOutcomeKind.Failed));
        var body = SamplePayloads.GitHubAlert(number: 9);
        using var response = await PostAsync("api/webhooks/github", body, ("X-Hub-Signature-256", SignedBodies.Sign(SourcesHarness.GitHubSecret, body)),
            ("X-GitHub-Event", "secret_scanning_alert"), ("X-GitHub-Delivery", "e2e-delivery-down"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("GET", "/repos/octo-org/hello/secret-scanning/alerts/9")], _gitHub.Requests.Select(r => (r.Method, r.Path)));

        // The queue runs with the follow-ups the same AddLeakSources wiring registered (real GitHub client, loopback GitHub).
        var handOff = Assert.Single(_h.Queue.Disables);
        var wire = new Engine.Incidents.Messages.IncidentMessageSerializer(new Engine.Incidents.Testing.StaticOptionsMonitor<Engine.Incidents.IncidentsOptions>(new())).Serialize(handOff);
        using var queue = new Engine.Incidents.Testing.IncidentTestHost();
        queue.FollowUps.AddRange(_host.Services.GetServices<Engine.Incidents.IIncidentFollowUp>());
        var decision = await queue.Processor().ProcessAsync(Engine.Incidents.Testing.IncidentTestHost.Message(Encoding.UTF8.GetString(wire.Body.Span)), TestContext.Current.CancellationToken);
        var again = await queue.Processor().ProcessAsync(Engine.Incidents.Testing.IncidentTestHost.Message(Encoding.UTF8.GetString(wire.Body.Span), deliveryCount: 2), TestContext.Current.CancellationToken);

        Assert.IsType<Engine.Incidents.SettlementDecision.Complete>(decision);
        Assert.IsType<Engine.Incidents.SettlementDecision.Complete>(again);
        Assert.Equal(TestTokens.Id(36), Assert.Single(queue.Kill.Leaks).TokenId);
        var patch = Assert.Single(_gitHub.Requests, r => r.Method == "PATCH");
        Assert.Equal("/repos/octo-org/hello/secret-scanning/alerts/9", patch.Path);
        using var json = JsonDocument.Parse(patch.Body);
        Assert.Equal("resolved", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("revoked", json.RootElement.GetProperty("resolution").GetString());
        Assert.Equal($"Dynatrace token {TestTokens.Id(36).Value} disabled by TokenFunctions (delivery e2e-delivery-down).", json.RootElement.GetProperty("resolution_comment").GetString());
    }

    [Fact]
    public async Task GitHub_alert_disabled_inline_whose_resolution_GitHub_fails_is_resolved_over_http_by_the_queue()
    {
        _gitHub.AlertSecret = TestTokens.Classic(37);
        _gitHub.PatchStatuses.Enqueue(503);
        _gitHub.PatchStatuses.Enqueue(503); // the standard resilience handler retries once
        var body = SamplePayloads.GitHubAlert(number: 11);
        using var response = await PostAsync("api/webhooks/github", body, ("X-Hub-Signature-256", SignedBodies.Sign(SourcesHarness.GitHubSecret, body)),
            ("X-GitHub-Event", "secret_scanning_alert"), ("X-GitHub-Delivery", "e2e-delivery-resolve-later"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _h.Kill.CallCount);
        Assert.Equal(2, _gitHub.Requests.Count(r => r.Method == "PATCH"));
        var handOff = Assert.Single(_h.Queue.Disables);
        Assert.Equal([TestTokens.Id(37).Value], handOff.Tokens);
        Assert.Equal(11, handOff.GitHubAlert!.Number);

        // A later run of the incident processor, with the follow-ups AddLeakSources registered and the ledger the webhook wrote.
        var wire = new Engine.Incidents.Messages.IncidentMessageSerializer(new Engine.Incidents.Testing.StaticOptionsMonitor<Engine.Incidents.IncidentsOptions>(new())).Serialize(handOff);
        using var queue = new Engine.Incidents.Testing.IncidentTestHost(ledger: _incidentLedger);
        queue.FollowUps.AddRange(_host.Services.GetServices<Engine.Incidents.IIncidentFollowUp>());
        var decision = await queue.Processor().ProcessAsync(Engine.Incidents.Testing.IncidentTestHost.Message(Encoding.UTF8.GetString(wire.Body.Span)), TestContext.Current.CancellationToken);

        Assert.IsType<Engine.Incidents.SettlementDecision.Complete>(decision);
        Assert.Empty(queue.Kill.Requests); // the token was already recorded as disabled
        var patches = _gitHub.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(3, patches.Count);
        Assert.Equal("/repos/octo-org/hello/secret-scanning/alerts/11", patches[^1].Path);
        using var json = JsonDocument.Parse(patches[^1].Body);
        Assert.Equal("resolved", json.RootElement.GetProperty("state").GetString());
        Assert.Equal($"Dynatrace token {TestTokens.Id(37).Value} disabled by TokenFunctions (delivery e2e-delivery-resolve-later).", json.RootElement.GetProperty("resolution_comment").GetString());
    }

    [Fact]
    public async Task GitHub_alert_with_a_bad_signature_is_401_over_http()
    {
        var body = SamplePayloads.GitHubAlert();
        using var response = await PostAsync("api/webhooks/github", body, ("X-Hub-Signature-256", SignedBodies.Sign("wrong", body)),
            ("X-GitHub-Event", "secret_scanning_alert"), ("X-GitHub-Delivery", "e2e-bad"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _h.Kill.CallCount);
        Assert.Empty(_gitHub.Requests);
    }

    [Fact]
    public async Task A_chunked_body_beyond_the_cap_is_413_over_http()
    {
        var content = new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/generic") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Partner_documented_sample_verifies_with_keys_fetched_over_http()
    {
        var body = Encoding.UTF8.GetBytes(FakePartnerKeys.DocsPayload);
        using var response = await PostAsync("api/webhooks/github-partner", body,
            ("Github-Public-Key-Identifier", FakePartnerKeys.DocsKeyId), ("Github-Public-Key-Signature", FakePartnerKeys.DocsSignature));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"label\":\"false_positive\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Partner_report_signed_with_a_key_fetched_as_not_current_is_refused()
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(33), "dynatrace_api_token"));
        using var response = await PostAsync("api/webhooks/github-partner", body,
            ("Github-Public-Key-Identifier", FakePartnerKeys.RetiredKeyId), ("Github-Public-Key-Signature", _h.PartnerKeys.Sign(body)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Partner_report_of_a_dynatrace_token_disables_it()
    {
        var body = SamplePayloads.Partner((TestTokens.Classic(32), "dynatrace_api_token"));
        using var response = await PostAsync("api/webhooks/github-partner", body,
            ("Github-Public-Key-Identifier", FakePartnerKeys.TestKeyId), ("Github-Public-Key-Signature", _h.PartnerKeys.Sign(body)));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("true_positive", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(32), text, StringComparison.Ordinal);
        Assert.Equal(TestTokens.Id(32), Assert.Single(_h.Kill.AllLeaks).TokenId);
    }

    [Fact]
    public async Task GitGuardian_incident_matching_a_managed_credential_disables_it()
    {
        var secret = TestTokens.Secret(33);
        _h.Credentials.Add(secret);
        var body = SamplePayloads.GitGuardian(secretHash: secret.Fingerprint);
        var ts = _h.NowUnix.ToString(CultureInfo.InvariantCulture);
        using var response = await PostAsync("api/webhooks/gitguardian", body,
            ("Timestamp", ts), ("Gitguardian-Signature", SignedBodies.Sign(ts + SourcesHarness.GitGuardianToken, body)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(secret.Id, Assert.Single(_h.Kill.AllLeaks).TokenId);
    }

    [Fact]
    public async Task Generic_report_disables_and_a_replay_is_409()
    {
        var body = SamplePayloads.Generic([TestTokens.Classic(34)], id: "e2e-generic");
        var ts = _h.NowUnix.ToString(CultureInfo.InvariantCulture);
        var signature = SignedBodies.Sign(SourcesHarness.GenericSecret, body, ts + ".");
        using var response = await PostAsync("api/webhooks/generic", body, ("X-TokenFunctions-Timestamp", ts), ("X-TokenFunctions-Signature", signature));
        using var replay = await PostAsync("api/webhooks/generic", body, ("X-TokenFunctions-Timestamp", ts), ("X-TokenFunctions-Signature", signature));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(TestTokens.Id(34), Assert.Single(_h.Kill.AllLeaks).TokenId);
    }

    [Fact]
    public async Task GitLab_contract_lists_types_and_accepts_with_204()
    {
        using var types = new HttpRequestMessage(HttpMethod.Get, "api/gitlab/v1/revocable_token_types");
        types.Headers.TryAddWithoutValidation("Authorization", SourcesHarness.GitLabToken);
        using var typesResponse = await _host.Client.SendAsync(types, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, typesResponse.StatusCode);
        Assert.Equal("{\"types\":[\"dynatrace_api_token\"]}", await typesResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var body = SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(35)));
        using var response = await PostAsync("api/gitlab/v1/revoke_tokens", body, ("Authorization", SourcesHarness.GitLabToken));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(TestTokens.Id(35), Assert.Single(_h.Kill.AllLeaks).TokenId);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, params (string Name, string Value)[] headers)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
