using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>
/// Keys from <see cref="PartnerOptions.KeysUrl"/>, cached. A fetch happens when the cache is older than
/// <see cref="PartnerOptions.KeyCacheDuration"/> or a request names an id the cache lacks (GitHub rotated), but never more
/// often than <see cref="PartnerOptions.MinRefetchInterval"/>, and ids that a fresh list lacked are remembered as unknown
/// for <see cref="PartnerOptions.UnknownKeyCacheDuration"/>, so forged key ids cannot drive the key endpoint. When the
/// endpoint is down the last keys are used up to <see cref="PartnerOptions.MaxStaleness"/> beyond their cache duration.
/// Conditional requests (ETag) keep refreshes cheap.
/// </summary>
public sealed partial class PartnerPublicKeyCache(
    IHttpClientFactory httpClientFactory,
    IWebhookSecretProvider secrets,
    IOptions<PartnerOptions> options,
    TimeProvider timeProvider,
    ILogger<PartnerPublicKeyCache> logger) : IPartnerPublicKeyProvider, IDisposable
{
    public const string HttpClientName = "TokenFunctions.PartnerKeys";
    private const int MaxUnknownIds = 1024;

    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _unknownUntil = new(StringComparer.Ordinal);
    private readonly Lock _unknownGate = new();
    private volatile KeySet _keys = KeySet.None;
    private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;

    public async ValueTask<PartnerKeyLookup> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        var keys = _keys;
        var fresh = keys.FetchedAt + settings.KeyCacheDuration > now;
        if (fresh && keys.ById.TryGetValue(keyId, out var hit))
        {
            return new PartnerKeyLookup(PartnerKeyStatus.Found, hit);
        }

        if (fresh && IsKnownUnknown(keyId, now))
        {
            return new PartnerKeyLookup(PartnerKeyStatus.Unknown, null);
        }

        await RefreshAsync(settings, cancellationToken).ConfigureAwait(false);

        now = timeProvider.GetUtcNow();
        keys = _keys;
        if (keys.ById.TryGetValue(keyId, out var key))
        {
            var usable = keys.FetchedAt + settings.KeyCacheDuration + settings.MaxStaleness > now;
            return usable ? new PartnerKeyLookup(PartnerKeyStatus.Found, key) : new PartnerKeyLookup(PartnerKeyStatus.Unavailable, null);
        }

        if (keys.FetchedAt + settings.KeyCacheDuration > now)
        {
            RememberUnknown(keyId, now + settings.UnknownKeyCacheDuration);
            return new PartnerKeyLookup(PartnerKeyStatus.Unknown, null);
        }

        // No fresh list to say the id is wrong: our side is at fault, the sender should retry.
        return new PartnerKeyLookup(PartnerKeyStatus.Unavailable, null);
    }

    public void Dispose() => _fetchGate.Dispose();

    private async Task RefreshAsync(PartnerOptions settings, CancellationToken cancellationToken)
    {
        var attemptSeen = _lastAttempt;
        await _fetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = timeProvider.GetUtcNow();
            if (_lastAttempt != attemptSeen || now - _lastAttempt < settings.MinRefetchInterval)
            {
                return; // someone fetched while we waited, or we fetched moments ago
            }

            _lastAttempt = now;
            var fetched = await FetchAsync(settings, _keys, now, cancellationToken).ConfigureAwait(false);
            if (fetched is not null)
            {
                _keys = fetched;
                lock (_unknownGate)
                {
                    foreach (var id in fetched.ById.Keys)
                    {
                        _unknownUntil.Remove(id);
                    }
                }
            }
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    private async Task<KeySet?> FetchAsync(PartnerOptions settings, KeySet current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, settings.KeysUrl);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TokenFunctions", null));
            if (await secrets.GetAsync(WebhookSecretNames.PartnerKeysToken, cancellationToken).ConfigureAwait(false) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Current);
            }

            if (current.ETag is { } etag)
            {
                request.Headers.IfNoneMatch.Add(etag);
            }

            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified && current.ById.Count > 0)
            {
                return current with { FetchedAt = now };
            }

            if (!response.IsSuccessStatusCode)
            {
                LogFetchFailed(logger, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var document = JsonSerializer.Deserialize(body, SourcesJsonContext.Default.PartnerPublicKeysDocument);
            var byId = new Dictionary<string, PartnerPublicKey>(StringComparer.Ordinal);
            foreach (var entry in document?.PublicKeys ?? [])
            {
                if (entry.KeyIdentifier is { Length: > 0 } id && entry.Key is { Length: > 0 } pem
                    && PartnerPublicKey.FromPem(id, pem, entry.IsCurrent ?? true) is { } key)
                {
                    byId[id] = key;
                }
            }

            if (byId.Count == 0)
            {
                LogFetchFailed(logger, "no usable P-256 key in the answer");
                return null;
            }

            return new KeySet(byId, now, response.Headers.ETag);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            LogFetchFailed(logger, e.GetType().Name);
            return null;
        }
    }

    private bool IsKnownUnknown(string keyId, DateTimeOffset now)
    {
        lock (_unknownGate)
        {
            return _unknownUntil.TryGetValue(keyId, out var until) && until > now;
        }
    }

    private void RememberUnknown(string keyId, DateTimeOffset until)
    {
        lock (_unknownGate)
        {
            if (_unknownUntil.Count >= MaxUnknownIds)
            {
                _unknownUntil.Clear(); // bounded memory beats perfect recall of forged ids
            }

            _unknownUntil[keyId] = until;
        }
    }

    private sealed record KeySet(IReadOnlyDictionary<string, PartnerPublicKey> ById, DateTimeOffset FetchedAt, EntityTagHeaderValue? ETag)
    {
        public static KeySet None { get; } = new(new Dictionary<string, PartnerPublicKey>(), DateTimeOffset.MinValue, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the partner signing keys: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string reason);
}
