using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.IntegrationTests.Notifications;
using TokenFunctions.Engine.IntegrationTests.Sources;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.GitLab;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Composition;

/// <summary>
/// Every credential the app holds, not only Dynatrace tokens, stays out of everything it writes: the engine is composed as
/// the function app composes it, every HTTP client (Dynatrace environment, account and SSO, GitHub REST and App, partner
/// keys, Teams, Slack and generic chat webhooks, Table Storage) runs at Trace level against loopback servers, and none of
/// the credentials — configured, or issued on the wire (SSO bearers, GitHub App installation tokens) — appears in a log
/// message, structured value, scope or exception, in a webhook answer, an audit record, a queued message or a chat payload.
/// </summary>
public sealed partial class CredentialsAtTraceTests
{
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_credential_reaches_logs_answers_audit_queue_or_chat_with_every_client_at_Trace(bool gitHubApp)
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("prod01");
        var admin = environment.AddManagementToken();
        var alerted = environment.AddToken();
        var gitLabLeak = environment.AddToken();
        var account = sandbox.AddAccount();
        var oauth = account.AddOAuthClient();
        var platform = account.AddPlatformToken();
        await using var gitHub = await FakeGitHubServer.StartAsync();
        await using var chat = await WebhookServer.StartAsync();

        // Credentials with no recognisable shape: only registration can keep these out.
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var gitHubToken = "gh-pat-" + suffix;
        var gitHubWebhookSecret = "gh-hook-" + suffix;
        var genericSecret = "generic-" + suffix;
        var gitLabToken = "gitlab-" + suffix;
        var gitGuardianToken = "gg-" + suffix;
        var partnerKeysToken = "partner-keys-" + suffix;
        using var partnerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        gitHub.KeysJson = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["public_keys"] = new[] { new Dictionary<string, object> { ["key_identifier"] = "known-key", ["key"] = partnerKey.ExportSubjectPublicKeyInfoPem(), ["is_current"] = true } },
        });
        var teams = chat.Route("/teams/hook-" + suffix, _ => 200);
        var slack = chat.Route("/slack/hook-" + suffix, attempt => attempt == 1 ? 500 : 200);
        var generic = chat.Route("/generic/hook-" + suffix, _ => 200);
        var appKey = gitHub.AppKey.ExportRSAPrivateKeyPem();
        gitHub.ExpectedToken = gitHubApp ? "ghs_installation_7_1" : gitHubToken;
        gitHub.AlertSecret = alerted.Secret;

        var logs = new TraceCapture();
        var wire = new WireCapture();
        var sender = new RecordingIncidentMessageSender();
        var settings = new Dictionary<string, string?>
        {
            ["Dynatrace:Environments:0:Name"] = "prod01",
            ["Dynatrace:Environments:0:ApiBaseUrl"] = sandbox.EnvironmentBaseUrl("prod01").ToString(),
            ["Dynatrace:Environments:0:Credential"] = admin.Secret,
            ["Dynatrace:Accounts:0:Name"] = "acme",
            ["Dynatrace:Accounts:0:AccountUuid"] = account.Uuid.ToString(),
            ["Dynatrace:Accounts:0:ClientId"] = oauth.ClientId,
            ["Dynatrace:Accounts:0:ClientSecret"] = oauth.ClientSecret,
            ["Dynatrace:Accounts:0:SsoTokenEndpoint"] = sandbox.SsoTokenEndpoint.ToString(),
            ["Dynatrace:Accounts:0:ApiBaseUrl"] = sandbox.AccountApiBaseUrl.ToString(),
            ["KeyVault:VaultUri"] = "https://tokenfunctions-test.vault.azure.net/",
            ["Sources:GitHub:WebhookSecret"] = gitHubWebhookSecret,
            ["Sources:GitHub:ApiBaseUrl"] = gitHub.BaseUrl.ToString(),
            ["Sources:Partner:KeysUrl"] = new Uri(gitHub.BaseUrl, "meta/public_keys/secret_scanning").ToString(),
            ["Sources:Generic:Secret"] = genericSecret,
            ["Sources:GitLab:Token"] = gitLabToken,
            ["Sources:GitGuardian:SignatureToken"] = gitGuardianToken,
            ["Sources:Partner:KeysToken"] = partnerKeysToken,
            ["Sources:Ledger:Mode"] = "InMemory",
            ["Incidents:Storage:InMemory"] = "true",
            ["Rotation:State:Mode"] = "InMemory",
            ["Audit:ConnectionString"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteAccountKey};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;",
            ["Audit:TableName"] = "trace" + suffix[..12],
            ["Notifications:Teams:WebhookUrl"] = teams.ToString(),
            ["Notifications:Slack:WebhookUrl"] = slack.ToString(),
            ["Notifications:Generic:Url"] = generic.ToString(),
            ["Notifications:CoalesceQuietPeriod"] = "00:00:00",
            ["Notifications:CoalesceMaxDelay"] = "00:00:00.100",
            ["Notifications:RetryBaseDelay"] = "00:00:00.050",
            ["IncidentQueueName"] = "incidents",
        };
        if (gitHubApp)
        {
            settings["Sources:GitHub:AppId"] = gitHub.AppId;
            settings["Sources:GitHub:AppInstallationId"] = "7";
            settings["Sources:GitHub:AppPrivateKey"] = appKey;
        }
        else
        {
            settings["Sources:GitHub:Token"] = gitHubToken;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.Services.AddTokenFunctionsEngine(builder.Configuration);
        builder.Services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new WireCaptureHandler(wire)));
        builder.Services.AddSingleton<IIncidentMessageSender>(sender);
        builder.Logging.AddTokenRedaction();
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var answers = new List<string>();

        // GitHub: the REST client (token or App installation token) fetches the secret; the environment client disables it.
        var alert = SignedGitHubAlert(gitHubWebhookSecret);
        answers.Add(await RunAsync(host, alert, (r, ct) => host.Services.GetRequiredService<GitHubAlertEndpoint>().HandleAsync(r, ct), expect: 200));
        Assert.False(environment.GetToken(alerted.Id)!.Enabled);
        Assert.Contains(gitHub.Requests, r => r.Method == "PATCH");

        // Generic: a platform token, disabled through the account client with an SSO bearer bought with the client secret.
        var report = Encoding.UTF8.GetBytes($$"""{"id":"trace-{{suffix}}","tokens":["{{platform.Secret}}"],"reason":"trace test"}""");
        answers.Add(await RunAsync(host, SignedGeneric(genericSecret, report), (r, ct) => host.Services.GetRequiredService<GenericWebhookEndpoint>().HandleAsync(r, ct), expect: 200));
        Assert.Equal("INACTIVE", account.GetPlatformToken(platform.Id)!.Status);

        // GitLab with its pre-shared token; GitGuardian and the partner format refused (a wrong signature, an unknown key
        // the key client still fetches the list for).
        var gitLab = Post(Encoding.UTF8.GetBytes($$"""[{"type":"dynatrace_api_token","token":"{{gitLabLeak.Secret}}","location":"https://gitlab.example/x"}]"""));
        gitLab.Headers.Authorization = gitLabToken;
        answers.Add(await RunAsync(host, gitLab, (r, ct) => host.Services.GetRequiredService<GitLabRevocationEndpoint>().RevokeTokensAsync(r, ct), expect: 204));
        var gitGuardian = Post(Encoding.UTF8.GetBytes("""{"action":"incident_triggered"}"""));
        gitGuardian.Headers[GitGuardianEndpoint.TimestampHeader] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        gitGuardian.Headers[GitGuardianEndpoint.SignatureHeader] = "sha256=" + new string('0', 64);
        answers.Add(await RunAsync(host, gitGuardian, (r, ct) => host.Services.GetRequiredService<GitGuardianEndpoint>().HandleAsync(r, ct), expect: 401));
        var partner = Post(Encoding.UTF8.GetBytes("""[{"token":"x","type":"y","url":"z","source":"content"}]"""));
        partner.Headers["Github-Public-Key-Identifier"] = "unknown-key";
        partner.Headers["Github-Public-Key-Signature"] = Convert.ToBase64String(new byte[64]);
        answers.Add(await RunAsync(host, partner, (r, ct) => host.Services.GetRequiredService<GitHubPartnerEndpoint>().HandleAsync(r, ct), expect: 401));
        Assert.True(gitHub.KeysHits > 0);

        // The chat channels (one fails once, so its retry and error paths log too) and the audit trail in Table Storage.
        await Task.WhenAll(chat.Delivered(teams.AbsolutePath), chat.Delivered(slack.AbsolutePath), chat.Delivered(generic.AbsolutePath)).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var audit = await host.Services.GetRequiredService<IAuditQuery>().QueryAsync(new AuditQuery { From = DateTimeOffset.UtcNow.AddHours(-1) }, Ct);
        Assert.NotEmpty(audit.Entries);
        await host.StopAsync(Ct);

        var credentials = new List<string>
        {
            gitHubWebhookSecret, genericSecret, gitLabToken, gitGuardianToken, partnerKeysToken, oauth.ClientSecret, AzuriteAccountKey,
            teams.AbsolutePath, slack.AbsolutePath, generic.AbsolutePath, SecretPart(admin.Secret), SecretPart(alerted.Secret),
            SecretPart(gitLabLeak.Secret), SecretPart(platform.Secret),
        };
        credentials.Add(gitHubApp ? appKey.Split('\n')[2] : gitHubToken);
        credentials.AddRange(wire.Credentials);
        Assert.Contains(wire.Credentials, c => c.StartsWith("eyJ", StringComparison.Ordinal)); // an SSO bearer was bought
        Assert.Equal(gitHubApp, wire.Credentials.Any(c => c.StartsWith("ghs_installation_", StringComparison.Ordinal)));

        var written = new Dictionary<string, IEnumerable<string>>
        {
            ["log"] = logs.Texts,
            ["webhook answer"] = answers,
            ["audit record"] = audit.Entries.Select(e => JsonSerializer.Serialize(AuditRecordDto.From(e.Record), AuditJsonContext.Default.AuditRecordDto)),
            ["queued message"] = sender.Sent.Select(m => Encoding.UTF8.GetString(m.Body.Span)),
            ["chat payload"] = chat.Received.Select(d => d.Body),
        };
        Assert.True(logs.Texts.Count > 100, "Trace logging should have produced plenty to look through");
        foreach (var (where, texts) in written)
        {
            foreach (var text in texts)
            {
                foreach (var credential in credentials.Where(c => c.Length >= 8))
                {
                    Assert.False(text.Contains(credential, StringComparison.Ordinal), $"a credential ({credential[..4]}…) in a {where}: {Redaction.Redact(text)}");
                }
            }
        }

        // Header logging is on (Trace) but never carries a value.
        Assert.Contains(logs.Texts, t => t.Contains("Authorization", StringComparison.Ordinal));
        Assert.Empty(logs.Texts.Where(t => AuthorizationWithValue().IsMatch(t)).Select(t => t[..Math.Min(400, t.Length)]));
    }

    private static string SecretPart(string token) => token[(token.LastIndexOf('.') + 1)..];

    private static async Task<string> RunAsync(IHost host, HttpRequest request, Func<HttpRequest, CancellationToken, Task<IActionResult>> handle, int expect)
    {
        request.HttpContext.RequestServices = host.Services;
        request.HttpContext.Response.Body = new MemoryStream();
        var result = await handle(request, Ct);
        await result.ExecuteResultAsync(new ActionContext { HttpContext = request.HttpContext });
        Assert.Equal(expect, request.HttpContext.Response.StatusCode);
        request.HttpContext.Response.Body.Position = 0;
        return string.Join('\n', request.HttpContext.Response.Headers.Select(h => $"{h.Key}: {h.Value}"))
            + "\n" + await new StreamReader(request.HttpContext.Response.Body).ReadToEndAsync(Ct);
    }

    private static HttpRequest Post(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }

    private static HttpRequest SignedGitHubAlert(string secret)
    {
        var body = Encoding.UTF8.GetBytes("""
            {"action":"created","alert":{"number":42,"secret_type":"dynatrace_api_token","html_url":"https://github.com/octo-org/hello/security/secret-scanning/42"},
             "repository":{"full_name":"octo-org/hello"}}
            """);
        var request = Post(body);
        request.Headers[GitHubAlertEndpoint.SignatureHeader] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        request.Headers[GitHubAlertEndpoint.EventHeader] = GitHubAlertEndpoint.AlertEvent;
        request.Headers[GitHubAlertEndpoint.DeliveryHeader] = Guid.NewGuid().ToString();
        return request;
    }

    private static HttpRequest SignedGeneric(string secret, byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = Post(body);
        request.Headers[GenericWebhookEndpoint.TimestampHeader] = timestamp;
        request.Headers[GenericWebhookEndpoint.SignatureHeader] = "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));
        return request;
    }

    [GeneratedRegex(@"Authorization\s*[:=]\s*\[?\s*(?!\*)[A-Za-z0-9]")]
    private static partial Regex AuthorizationWithValue();

    /// <summary>Every credential that went over the wire: Authorization parameters, bearers and installation tokens in answers.</summary>
    private sealed class WireCapture
    {
        private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Credentials => [.. _seen.Keys];

        public void Add(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                _seen.TryAdd(value.Trim(), 0);
            }
        }
    }

    private sealed class WireCaptureHandler(WireCapture wire) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            wire.Add(request.Headers.Authorization?.Parameter);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Content is { } content && response.IsSuccessStatusCode && content.Headers.ContentType?.MediaType == "application/json")
            {
                await content.LoadIntoBufferAsync(cancellationToken);
                var text = await content.ReadAsStringAsync(cancellationToken);
                foreach (var name in new[] { "access_token", "token" })
                {
                    if (Regex.Match(text, $"\"{name}\"\\s*:\\s*\"([^\"]+)\"") is { Success: true } match)
                    {
                        wire.Add(match.Groups[1].Value);
                    }
                }
            }

            return response;
        }
    }

    /// <summary>Every entry at every level, as providers see it: message, each structured value, scopes, exception.</summary>
    private sealed class TraceCapture : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<string> _texts = new();
        private IExternalScopeProvider? _scopes;

        public IReadOnlyList<string> Texts => [.. _texts];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(TraceCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                capture._texts.Enqueue($"scope {category}: {state}" + (state is IEnumerable<KeyValuePair<string, object?>> pairs ? " " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty));
                return capture._scopes?.Push(state);
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                var scopes = new StringBuilder();
                capture._scopes?.ForEachScope((scope, sb) => sb.Append(" scope=").Append(scope), scopes);
                capture._texts.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}]{scopes} {exception}");
            }
        }
    }
}
