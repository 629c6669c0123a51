using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.KeyVaultSandbox.Api;
using TokenFunctions.KeyVaultSandbox.State;

namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// A Key Vault (secrets) on loopback for the real <c>SecretClient</c>: HTTPS on 127.0.0.1 with a self-signed certificate
/// that clients trust by its SHA-256 pin (<see cref="CertificateSha256"/>), the bearer challenge, and the App Service
/// managed-identity endpoint on plain HTTP (<see cref="IdentityEndpoint"/>, <see cref="IdentityHeader"/>), so a process
/// gets its vault token through the real <c>DefaultAzureCredential</c>. In-memory and thread-safe; state is inspected and
/// faults injected at runtime. Never logs or records a secret value, a bearer or the identity header.
/// </summary>
public sealed class KeyVaultSandbox : IAsyncDisposable
{
    /// <summary>Configuration keys (IConfiguration form) a host reads; see <see cref="ConfigurationSettings"/>.</summary>
    public const string VaultUriSetting = "KeyVault:VaultUri";

    public const string CertificatePinSetting = "KeyVault:LoopbackCertificateSha256";

    public const string ManagedIdentityClientIdSetting = "KeyVault:ManagedIdentityClientId";

    /// <summary>The environment variables of App Service's managed identity, read by Azure.Identity (MSAL).</summary>
    public const string IdentityEndpointVariable = "IDENTITY_ENDPOINT";

    public const string IdentityHeaderVariable = "IDENTITY_HEADER";

    private readonly WebApplication _app;
    private readonly VaultState _state;
    private readonly X509Certificate2 _certificate;
    private readonly bool _ownsCertificate;

    private KeyVaultSandbox(WebApplication app, VaultState state, X509Certificate2 certificate, bool ownsCertificate, Uri vaultUri, Uri identityEndpoint, string identityHeader)
    {
        _app = app;
        _state = state;
        _certificate = certificate;
        _ownsCertificate = ownsCertificate;
        VaultUri = vaultUri;
        IdentityEndpoint = identityEndpoint;
        IdentityHeader = identityHeader;
        CertificateSha256 = SandboxCertificate.Sha256(certificate);
        var (token, issued) = state.IssueToken(VaultState.VaultResource, VaultState.SandboxClientId, TimeSpan.FromDays(365));
        Credential = new SandboxCredential(token, issued.ExpiresOn);
    }

    /// <summary><c>https://127.0.0.1:{port}/</c>: the vault URI to give <c>SecretClient</c> (<c>KeyVault:VaultUri</c>).</summary>
    public Uri VaultUri { get; }

    /// <summary>Upper-case hex SHA-256 of the vault's certificate (<c>KeyVault:LoopbackCertificateSha256</c>); compare case-insensitively.</summary>
    public string CertificateSha256 { get; }

    /// <summary>The vault's certificate, public part: for clients that pin it themselves.</summary>
    public X509Certificate2 Certificate => X509CertificateLoader.LoadCertificate(_certificate.RawData);

    /// <summary><c>http://127.0.0.1:{port}/msi/token</c>: the value of <c>IDENTITY_ENDPOINT</c>.</summary>
    public Uri IdentityEndpoint { get; }

    /// <summary>The value of <c>IDENTITY_HEADER</c>; the endpoint answers 401 without it.</summary>
    public string IdentityHeader { get; }

    /// <summary>The tenant the bearer challenge names.</summary>
    public string TenantId => _state.TenantId;

    /// <summary>A credential whose token the vault accepts, for in-process hosts: register it as the DI <see cref="TokenCredential"/>.</summary>
    public TokenCredential Credential { get; }

    public KeyVaultFaults Faults => _state.Faults;

    /// <summary>Items per list page from now on, 1-25.</summary>
    public int PageSize
    {
        get => _state.PageSize;
        set => _state.PageSize = value is >= 1 and <= 25 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Key Vault pages hold 1-25 items.");
    }

    public bool RecordRequests
    {
        get => _state.RecordRequests;
        set => _state.RecordRequests = value;
    }

    /// <summary>Requests in arrival order, vault and identity endpoint (see <see cref="KeyVaultRequest"/>).</summary>
    public IReadOnlyList<KeyVaultRequest> Requests => _state.Journal;

    /// <summary>Every vault request (not the identity endpoint's) since start or <see cref="ResetCounters"/>, challenges and faulted ones included.</summary>
    public long RequestCount => _state.TotalCalls - _state.Calls(KeyVaultOperation.ManagedIdentityToken);

    /// <summary>Names as first written (Key Vault names are case-insensitive), in no particular order.</summary>
    public IReadOnlyList<string> SecretNames
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Secrets.Values.Select(v => v[0].Name)];
            }
        }
    }

    public static async Task<KeyVaultSandbox> StartAsync(KeyVaultSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KeyVaultSandboxOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PageSize, 25);
        var certificate = options.Certificate ?? SandboxCertificate.Create();
        var identityHeader = options.IdentityHeader ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var state = new VaultState(options, identityHeader);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // HTTP/1.1 only, so a dropped connection (KeyVaultFault.Reset) is one connection, not one stream of many.
            kestrel.Listen(IPAddress.Loopback, options.VaultPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(certificate);
            });
            kestrel.Listen(IPAddress.Loopback, options.IdentityPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Urls.Clear();
        var secrets = new SecretsApi(state);
        var identity = new IdentityApi(state);
        app.Run(context =>
            context.Request.IsHttps ? secrets.HandleAsync(context)
            : string.Equals(context.Request.Path.Value?.TrimEnd('/'), IdentityApi.Path, StringComparison.OrdinalIgnoreCase) ? identity.HandleAsync(context)
            : NotFound(context));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var vaultUri = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)).TrimEnd('/') + "/");
        var identityEndpoint = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/') + IdentityApi.Path);
        state.VaultUri = vaultUri;
        return new KeyVaultSandbox(app, state, certificate, options.Certificate is null, vaultUri, identityEndpoint, identityHeader);
    }

    /// <summary>
    /// The settings an in-process host needs, IConfiguration form (<c>KeyVault:VaultUri</c>,
    /// <c>KeyVault:LoopbackCertificateSha256</c>); it also registers <see cref="Credential"/> as its <see cref="TokenCredential"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ConfigurationSettings(string? managedIdentityClientId = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [VaultUriSetting] = VaultUri.AbsoluteUri,
            [CertificatePinSetting] = CertificateSha256,
        };
        if (managedIdentityClientId is not null)
        {
            settings[ManagedIdentityClientIdSetting] = managedIdentityClientId;
        }

        return settings;
    }

    /// <summary>
    /// The environment of a worker process that reaches this vault as deployed code does: <c>KeyVault__VaultUri</c>,
    /// <c>KeyVault__LoopbackCertificateSha256</c> and the managed-identity pair <c>IDENTITY_ENDPOINT</c> /
    /// <c>IDENTITY_HEADER</c> (its <c>DefaultAzureCredential</c> then gets the vault token here). The process must not
    /// also carry <c>AZURE_CLIENT_SECRET</c>-style variables, which <c>DefaultAzureCredential</c> would try first.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables(string? managedIdentityClientId = null)
    {
        var variables = ConfigurationSettings(managedIdentityClientId)
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!, StringComparer.Ordinal);
        variables[IdentityEndpointVariable] = IdentityEndpoint.AbsoluteUri;
        variables[IdentityHeaderVariable] = IdentityHeader;
        return variables;
    }

    public long CallCount(KeyVaultOperation operation) => _state.Calls(operation);

    /// <summary>
    /// Completes once <paramref name="operation"/> has arrived <paramref name="calls"/> times since start or the last
    /// <see cref="ResetCounters"/> (counted on arrival, before faults), e.g. to act while a request hangs.
    /// </summary>
    public Task WhenCalledAsync(KeyVaultOperation operation, long calls = 1, CancellationToken cancellationToken = default) =>
        _state.WhenCalledAsync(operation, calls, cancellationToken);

    /// <summary>Zeroes the counters and clears the journal.</summary>
    public void ResetCounters() => _state.ResetCounters();

    /// <summary>Every version of <paramref name="name"/> in creation order (empty when there is none).</summary>
    public IReadOnlyList<KeyVaultSecretVersion> Versions(string name)
    {
        lock (_state.Gate)
        {
            return _state.Secrets.TryGetValue(name, out var versions) ? [.. versions.Select(v => v.Snapshot(VaultUri))] : [];
        }
    }

    /// <summary>The newest created version, what a versionless read returns (if enabled); null when the secret does not exist.</summary>
    public KeyVaultSecretVersion? Latest(string name)
    {
        lock (_state.Gate)
        {
            return _state.Secrets.TryGetValue(name, out var versions) ? versions[^1].Snapshot(VaultUri) : null;
        }
    }

    /// <summary>Adds a version directly (an operator's enrolment): no request, no fault, no count.</summary>
    public KeyVaultSecretVersion Seed(
        string name,
        string value,
        IReadOnlyDictionary<string, string>? tags = null,
        bool enabled = true,
        DateTimeOffset? expiresOn = null,
        DateTimeOffset? notBefore = null,
        string? contentType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var now = DateTimeOffset.FromUnixTimeSeconds(_state.Clock.GetUtcNow().ToUnixTimeSeconds());
        lock (_state.Gate)
        {
            if (!_state.Secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                _state.Secrets[name] = versions;
            }

            var version = new StoredVersion
            {
                Name = versions.Count > 0 ? versions[0].Name : name,
                Version = _state.NextVersionId(out var sequence),
                Sequence = sequence,
                Value = value,
                ContentType = contentType,
                Enabled = enabled,
                ExpiresOn = expiresOn,
                NotBefore = notBefore,
                CreatedOn = now,
                UpdatedOn = now,
                Tags = tags is null ? new(StringComparer.Ordinal) : new(tags, StringComparer.Ordinal),
            };
            versions.Add(version);
            return version.Snapshot(VaultUri);
        }
    }

    /// <summary>An operator enables or disables a version directly.</summary>
    public void SetEnabled(string name, string version, bool enabled) => Edit(name, version, v => v.Enabled = enabled);

    /// <summary>An operator replaces a version's tags directly (e.g. to break them).</summary>
    public void SetTags(string name, string version, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Edit(name, version, v => v.Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        // Release hung requests first so shutdown does not wait for clients that never give up.
        await _state.Stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Stopping.Dispose();
        if (_ownsCertificate)
        {
            _certificate.Dispose();
        }
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private void Edit(string name, string version, Action<StoredVersion> edit)
    {
        lock (_state.Gate)
        {
            var found = _state.Secrets.TryGetValue(name, out var versions) ? versions.FirstOrDefault(v => v.Version == version) : null;
            edit(found ?? throw new KeyNotFoundException($"No version {version} of secret {name}."));
            found.UpdatedOn = DateTimeOffset.FromUnixTimeSeconds(_state.Clock.GetUtcNow().ToUnixTimeSeconds());
        }
    }
}
