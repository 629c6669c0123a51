using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// <see cref="IManagedCredentialIndex"/> over one Key Vault: lists secret properties (tags only; no secret is read),
/// validates the tags, and keeps the result for <see cref="KeyVaultOptions.IndexCacheDuration"/>. One listing at a time:
/// callers that arrive while a listing runs wait for it instead of starting their own. A listing that fails because the
/// vault is unavailable (<see cref="KeyVaultOutage"/>) is remembered for <see cref="KeyVaultOptions.OutageCacheDuration"/>:
/// meanwhile a lookup is served from the last listing when it has one and otherwise throws
/// <see cref="ManagedCredentialIndexUnavailableException"/> at once, so an outage costs the SDK's retries once, not per leak.
/// </summary>
public sealed partial class KeyVaultManagedCredentialIndex : IManagedCredentialCatalog, IDisposable
{
    private readonly SecretClient _client;
    private readonly IConfiguredTargets _targets;
    private readonly KeyVaultOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<KeyVaultManagedCredentialIndex> _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile ManagedCredentialSnapshot? _snapshot;
    private volatile Outage? _outage;

    public KeyVaultManagedCredentialIndex(
        SecretClient client,
        IConfiguredTargets targets,
        IOptions<KeyVaultOptions> options,
        TimeProvider timeProvider,
        ILogger<KeyVaultManagedCredentialIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _targets = targets;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<ManagedCredentialRef?> FindByTokenIdAsync(TokenId tokenId, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        if (snapshot.FindByTokenId(tokenId) is { } hit)
        {
            return hit;
        }

        return await RefreshOnMissAsync(snapshot, cancellationToken).ConfigureAwait(false) is { } fresh ? fresh.FindByTokenId(tokenId) : null;
    }

    public async Task<ManagedCredentialRef?> FindByFingerprintAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sha256Hex))
        {
            return null;
        }

        var snapshot = await GetSnapshotAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        if (snapshot.FindByFingerprint(sha256Hex) is { } hit)
        {
            return hit;
        }

        return await RefreshOnMissAsync(snapshot, cancellationToken).ConfigureAwait(false) is { } fresh ? fresh.FindByFingerprint(sha256Hex) : null;
    }

    public async Task<ManagedCredentialSnapshot> GetSnapshotAsync(bool refresh, CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (!refresh && current is not null && IsFresh(current, _options.IndexCacheDuration))
        {
            return current;
        }

        var requestedAt = _timeProvider.GetUtcNow();
        if (DuringOutage(current, refresh, requestedAt) is { } stale)
        {
            return stale;
        }

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Someone else listed while we waited: their listing started after our request, so it is fresh enough.
            current = _snapshot;
            if (current is not null && current.LoadedAt >= requestedAt && (refresh || IsFresh(current, _options.IndexCacheDuration)))
            {
                return current;
            }

            // Someone else found the vault down while we waited.
            if (DuringOutage(current, refresh, _timeProvider.GetUtcNow()) is { } stillStale)
            {
                return stillStale;
            }

            ManagedCredentialSnapshot loaded;
            try
            {
                loaded = await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (KeyVaultOutage.Is(e, cancellationToken.IsCancellationRequested))
            {
                var now = _timeProvider.GetUtcNow();
                var outage = new Outage(now + _options.OutageCacheDuration, OutageReason(e));
                _outage = outage;
                LogOutage(outage.Reason, _options.OutageCacheDuration);
                return !refresh && current is not null ? current : throw outage.Exception(e);
            }

            _outage = null;
            _snapshot = loaded;
            return loaded;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public void Invalidate()
    {
        _snapshot = null;
        _outage = null;
    }

    public void Dispose() => _refreshGate.Dispose();

    private async Task<ManagedCredentialSnapshot?> RefreshOnMissAsync(ManagedCredentialSnapshot used, CancellationToken cancellationToken) =>
        IsFresh(used, _options.IndexMissRefreshInterval) ? null : await GetSnapshotAsync(refresh: true, cancellationToken).ConfigureAwait(false);

    /// <summary>While a recorded outage lasts: the last listing for a plain lookup, else the outage at once. Null when there is none.</summary>
    private ManagedCredentialSnapshot? DuringOutage(ManagedCredentialSnapshot? current, bool refresh, DateTimeOffset now)
    {
        if (_outage is not { } outage || now >= outage.Until)
        {
            return null;
        }

        return !refresh && current is not null ? current : throw outage.Exception(null);
    }

    private static string OutageReason(Exception e) => e switch
    {
        Azure.RequestFailedException r => $"HTTP {r.Status}",
        AggregateException a => $"{a.InnerExceptions.Count} failed attempts ({a.InnerExceptions[^1].GetType().Name})",
        _ => e.GetType().Name,
    };

    private bool IsFresh(ManagedCredentialSnapshot snapshot, TimeSpan maxAge) => _timeProvider.GetUtcNow() - snapshot.LoadedAt < maxAge;

    private async Task<ManagedCredentialSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var loadedAt = _timeProvider.GetUtcNow();
        var managed = new List<ManagedCredential>();
        var unadopted = new List<TagReadResult>();
        var problems = new List<CredentialProblem>();
        await foreach (var properties in _client.GetPropertiesOfSecretsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (properties.Managed)
            {
                continue; // a certificate's backing secret: never a token
            }

            var read = ManagedCredentialTagReader.Read(properties);
            var targetError = read.Policy is { } policy ? CheckTarget(policy) : null;
            if (targetError is not null)
            {
                problems.Add(new CredentialProblem(read.SecretName, [targetError]));
                continue;
            }

            switch (read.Status)
            {
                case TagReadStatus.Managed:
                    managed.Add(read.Credential!);
                    break;
                case TagReadStatus.Unadopted:
                    unadopted.Add(read);
                    break;
                case TagReadStatus.Invalid:
                    problems.Add(new CredentialProblem(read.SecretName, read.Errors));
                    break;
            }
        }

        // Two secrets claiming one token would make every decision about it ambiguous: neither is trusted.
        foreach (var clash in managed.GroupBy(c => c.TokenId.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList())
        {
            var names = clash.Select(c => c.SecretName).ToList();
            foreach (var c in clash)
            {
                managed.Remove(c);
                problems.Add(new CredentialProblem(c.SecretName, [$"token {clash.Key} is also claimed by {string.Join(", ", names.Where(n => n != c.SecretName))}; keep it in one secret"]));
            }
        }

        foreach (var problem in problems)
        {
            LogProblem(problem.SecretName, string.Join("; ", problem.Errors));
        }

        LogLoaded(managed.Count, unadopted.Count, problems.Count);
        return new ManagedCredentialSnapshot(loadedAt, managed, unadopted, problems);
    }

    private string? CheckTarget(CredentialPolicy policy)
    {
        if (policy.Kind == TokenKind.ClassicApiToken)
        {
            return _targets.IsConfigured(policy.Kind, policy.Target)
                ? null
                : $"'{ManagedCredentialTags.Target}' names environment '{Redaction.Redact(policy.Target)}', which is not configured (Dynatrace:Environments)";
        }

        return _targets.IsConfigured(policy.Kind, policy.Target)
            ? null
            : $"'{ManagedCredentialTags.Target}' names account '{Redaction.Redact(policy.Target)}', which is not configured (Dynatrace:Accounts)";
    }

    private sealed record Outage(DateTimeOffset Until, string Reason)
    {
        public ManagedCredentialIndexUnavailableException Exception(Exception? inner) =>
            inner is null
                ? new($"Key Vault is unavailable ({Reason}); the managed credentials are listed again after {Until:O}.") { RetryAt = Until }
                : new($"Key Vault is unavailable ({Reason}); the managed credentials are listed again after {Until:O}.", inner) { RetryAt = Until };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault is unavailable ({Reason}): managed-credential lookups are served from the last listing, or postponed, for {Duration}")]
    private partial void LogOutage(string reason, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault secret {SecretName} is tagged as a managed credential but cannot be used: {Errors}")]
    private partial void LogProblem(string secretName, string errors);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Managed credential index loaded: {Managed} managed, {Unadopted} awaiting adoption, {Problems} misconfigured")]
    private partial void LogLoaded(int managed, int unadopted, int problems);
}
