using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.DynatraceSandbox.Api;
using TokenFunctions.DynatraceSandbox.State;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// A fake Dynatrace on loopback: many environments (Managed form <c>/e/{envId}/api/…</c>; SaaS form <c>/api/…</c> at the
/// root for the default environment, or for <c>{envId}.localhost</c> where the client resolves that name), accounts with the Account Management platform-token API, and the
/// SSO token endpoint. In-memory and thread-safe; faults are injected per environment or account at runtime.
/// </summary>
public sealed class DynatraceSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxState _state;

    private DynatraceSandbox(WebApplication app, SandboxState state, Uri baseUrl)
    {
        _app = app;
        _state = state;
        BaseUrl = baseUrl;
    }

    /// <summary>The server root, ending in <c>/</c>; also the SaaS-form base URL of the default environment.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Account Management API base, <c>{BaseUrl}</c> (paths <c>iam/v1/accounts/{uuid}/…</c> hang off it).</summary>
    public Uri AccountApiBaseUrl => BaseUrl;

    public Uri SsoTokenEndpoint => new(BaseUrl, SsoApi.Path.TrimStart('/'));

    public TimeProvider Clock => _state.Clock;

    /// <summary>Where host-less <c>/api/…</c> requests go; the first environment added unless set.</summary>
    public string? DefaultEnvironmentId
    {
        get => _state.DefaultEnvironmentId;
        set => _state.DefaultEnvironmentId = value;
    }

    /// <summary>The <c>expires_in</c> of bearers issued from now on (default 300 s as documented).</summary>
    public TimeSpan BearerLifetime
    {
        get => _state.BearerLifetime;
        set => _state.BearerLifetime = value;
    }

    /// <summary>The number of the first platform-token list page, 0 or 1 (see <see cref="SandboxOptions.PlatformTokenPageBase"/>).</summary>
    public int PlatformTokenPageBase
    {
        get => _state.PlatformReading.PageBase;
        set => PlatformReading = _state.PlatformReading with { PageBase = value };
    }

    /// <summary>The reading of Dynatrace's platform-token sources the Account Management API plays (see <see cref="SandboxPlatformReading"/>).</summary>
    public SandboxPlatformReading PlatformReading
    {
        get => _state.PlatformReading;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _state.PlatformReading = value.PageBase is 0 or 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value.PageBase, "The page base is 0 or 1.");
        }
    }

    public bool RecordRequests
    {
        get => _state.RecordRequests;
        set => _state.RecordRequests = value;
    }

    /// <summary>Answered requests in arrival order (without secrets); see <see cref="SandboxOptions.RecordRequests"/>.</summary>
    public IReadOnlyList<SandboxRequest> Requests => _state.Journal;

    public IReadOnlyCollection<SandboxEnvironment> Environments => [.. _state.Environments.Values];

    public IReadOnlyCollection<SandboxAccount> Accounts => [.. _state.Accounts.Values];

    /// <summary>Faults of the SSO token endpoint.</summary>
    public SandboxFaults SsoFaults => _state.SsoFaults;

    /// <summary>Requests to the SSO token endpoint, all clients.</summary>
    public long SsoCallCount => _state.SsoCalls;

    public static async Task<DynatraceSandbox> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        }

        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var state = new SandboxState(options.TimeProvider) { RecordRequests = options.RecordRequests };
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add(options.Url);
        new EnvironmentApi(state).Map(app);
        new AccountApi(state).Map(app);
        new SsoApi(state).Map(app);
        new AuditApi(state).Map(app);

        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        var sandbox = new DynatraceSandbox(app, state, new Uri(address.EndsWith('/') ? address : address + "/"))
        {
            PlatformReading = options.PlatformReading ?? new SandboxPlatformReading { PageBase = options.PlatformTokenPageBase },
        };
        if (options.Seed is not null)
        {
            sandbox.ApplySeed(options.Seed);
        }

        return sandbox;
    }

    /// <summary>Managed-form base URL of an environment: <c>{BaseUrl}e/{envId}/</c>.</summary>
    public Uri EnvironmentBaseUrl(string environmentId) => new(BaseUrl, $"e/{Uri.EscapeDataString(environmentId)}/");

    public SandboxEnvironment AddEnvironment(string environmentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environmentId);
        var environment = new SandboxEnvironment(environmentId, _state.Clock);
        if (!_state.Environments.TryAdd(environmentId, environment))
        {
            throw new ArgumentException($"Environment {environmentId} already exists.", nameof(environmentId));
        }

        Interlocked.CompareExchange(ref _state.DefaultEnvironmentId, environmentId, null);
        return environment;
    }

    /// <summary>Adds <paramref name="count"/> environments <c>{prefix}1…{prefix}N</c>, each with a management token.</summary>
    public IReadOnlyList<(SandboxEnvironment Environment, SandboxIssuedToken Credential)> AddEnvironments(int count, string prefix = "env")
    {
        var added = new List<(SandboxEnvironment, SandboxIssuedToken)>(count);
        for (var i = 1; i <= count; i++)
        {
            var environment = AddEnvironment(prefix + i);
            added.Add((environment, environment.AddManagementToken()));
        }

        return added;
    }

    public SandboxEnvironment Environment(string environmentId) =>
        _state.Environments.TryGetValue(environmentId, out var environment) ? environment : throw new KeyNotFoundException($"No environment {environmentId}.");

    public SandboxAccount AddAccount(Guid? uuid = null)
    {
        var account = new SandboxAccount(uuid ?? Guid.NewGuid(), _state);
        if (!_state.Accounts.TryAdd(account.Uuid, account))
        {
            throw new ArgumentException($"Account {account.Uuid} already exists.", nameof(uuid));
        }

        return account;
    }

    public SandboxAccount Account(Guid uuid) =>
        _state.Accounts.TryGetValue(uuid, out var account) ? account : throw new KeyNotFoundException($"No account {uuid}.");

    public void ClearRequests() => _state.ClearJournal();

    /// <summary>Zeroes every call counter (environments, accounts, SSO) and the journal, e.g. between benchmark iterations.</summary>
    public void ResetCounters()
    {
        foreach (var environment in _state.Environments.Values)
        {
            environment.ResetCallCounts();
        }

        foreach (var account in _state.Accounts.Values)
        {
            account.ResetCallCounts();
        }

        _state.ResetSsoCalls();
        _state.ClearJournal();
    }

    public void ApplySeed(SandboxSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (seed.BearerLifetimeSeconds is { } lifetime)
        {
            BearerLifetime = TimeSpan.FromSeconds(lifetime);
        }

        if (seed.PlatformReading is { } reading)
        {
            PlatformReading = reading;
        }

        if (seed.PlatformTokenPageBase is { } pageBase)
        {
            PlatformTokenPageBase = pageBase;
        }

        // Absent lists arrive as null from source-generated JSON despite their initialisers.
        foreach (var environmentSeed in seed.Environments ?? [])
        {
            var environment = _state.Environments.GetValueOrDefault(environmentSeed.Id) ?? AddEnvironment(environmentSeed.Id);
            environment.ClassicCreationDisabled = environmentSeed.ClassicCreationDisabled ?? environment.ClassicCreationDisabled;
            foreach (var token in environmentSeed.Tokens ?? [])
            {
                environment.AddToken(token);
            }
        }

        foreach (var accountSeed in seed.Accounts ?? [])
        {
            var account = _state.Accounts.GetValueOrDefault(accountSeed.Uuid) ?? AddAccount(accountSeed.Uuid);
            if (accountSeed.StatusSuccessCode is { } code)
            {
                account.StatusSuccessCode = code;
            }

            foreach (var client in accountSeed.Clients ?? [])
            {
                account.AddOAuthClient(client.ClientId, client.ClientSecret, client.Scopes, client.UserUuid);
            }

            foreach (var token in accountSeed.PlatformTokens ?? [])
            {
                account.AddPlatformToken(token);
            }
        }

        if (seed.DefaultEnvironment is not null)
        {
            DefaultEnvironmentId = seed.DefaultEnvironment;
        }
    }

    /// <summary>For standalone runs: completes when the host is asked to stop (Ctrl+C).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Release hung requests first so shutdown does not wait for clients that never give up.
        await _state.Stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Stopping.Dispose();
    }
}
