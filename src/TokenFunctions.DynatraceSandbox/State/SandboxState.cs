using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace TokenFunctions.DynatraceSandbox.State;

/// <summary>Everything the request handlers share: environments, accounts, SSO clients and bearers, journal, clock.</summary>
internal sealed class SandboxState(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, OAuthClientState> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BearerState> _bearers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SandboxRequest> _journal = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long[] _ssoCalls = new long[1];
    private int _journalCount;

    public TimeProvider Clock { get; } = clock;

    public ConcurrentDictionary<string, SandboxEnvironment> Environments { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<Guid, SandboxAccount> Accounts { get; } = new();

    public SandboxFaults SsoFaults { get; } = new();

    public CancellationTokenSource Stopping { get; } = new();

    public volatile string? DefaultEnvironmentId;

    public bool RecordRequests { get; set; } = true;

    public int MaxRecordedRequests { get; set; } = 100_000;

    public TimeSpan BearerLifetime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Which reading of the platform-token sources the Account Management API plays.</summary>
    public SandboxPlatformReading PlatformReading { get; set; } = new();

    public long SsoCalls => Interlocked.Read(ref _ssoCalls[0]);

    public IReadOnlyList<SandboxRequest> Journal => [.. _journal];

    public void CountSso() => Interlocked.Increment(ref _ssoCalls[0]);

    public void ResetSsoCalls() => Interlocked.Exchange(ref _ssoCalls[0], 0);

    public void ClearJournal()
    {
        _journal.Clear();
        Interlocked.Exchange(ref _journalCount, 0);
    }

    public void Record(HttpContext context, string target, SandboxEndpoint endpoint, string? callerId)
    {
        if (!RecordRequests)
        {
            return;
        }

        var request = context.Request;
        _journal.Enqueue(new SandboxRequest(
            target,
            endpoint,
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            callerId,
            context.Response.StatusCode,
            Stopwatch.GetElapsedTime(_started)));
        if (Interlocked.Increment(ref _journalCount) > MaxRecordedRequests && _journal.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _journalCount);
        }
    }

    /// <summary>
    /// <c>/e/{envId}/…</c> names it; host-less <c>/api/…</c> takes the host's first label when it is a known environment
    /// (<c>{env}.localhost</c>, SaaS-style), else the default environment.
    /// </summary>
    public SandboxEnvironment? ResolveEnvironment(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue("envId", out var value) && value is string envId)
        {
            return Environments.GetValueOrDefault(envId);
        }

        var host = context.Request.Host.Host;
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && Environments.TryGetValue(host[..dot], out var byHost))
        {
            return byHost;
        }

        return DefaultEnvironmentId is { } id ? Environments.GetValueOrDefault(id) : null;
    }

    public void AddClient(OAuthClientState client)
    {
        if (!_clients.TryAdd(client.ClientId, client))
        {
            throw new ArgumentException($"An OAuth client {client.ClientId} already exists.", nameof(client));
        }
    }

    public OAuthClientState? FindClient(string clientId) => _clients.GetValueOrDefault(clientId);

    public string IssueBearer(OAuthClientState client, IReadOnlySet<string> scopes)
    {
        var bearer = TokenGenerator.Bearer();
        _bearers[bearer] = new BearerState(client.AccountUuid, client.ClientId, scopes, Clock.GetUtcNow() + BearerLifetime);
        if (_bearers.Count > 10_000)
        {
            PruneBearers();
        }

        return bearer;
    }

    public BearerState? FindBearer(string bearer) => _bearers.GetValueOrDefault(bearer);

    public void RevokeBearers(Guid account)
    {
        foreach (var (key, bearer) in _bearers)
        {
            if (bearer.AccountUuid == account)
            {
                _bearers.TryRemove(key, out _);
            }
        }
    }

    private void PruneBearers()
    {
        var now = Clock.GetUtcNow();
        foreach (var (key, bearer) in _bearers)
        {
            if (bearer.ExpiresAt <= now)
            {
                _bearers.TryRemove(key, out _);
            }
        }
    }
}
