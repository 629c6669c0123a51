using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// The one place that knows which token ids must never be disabled automatically: the configured allow-list
/// (<see cref="KillOptions.ProtectedTokenIds"/>) and the app's own management credentials, resolved through
/// <see cref="ICredentialProvider"/>. The kill asks <see cref="GetAsync"/>; the hygiene timer asks
/// <see cref="ConfiguredIds"/> and <see cref="ReadManagementCredentialsAsync"/>. Only ids are kept.
/// </summary>
public sealed class ProtectedTokens(
    IOptionsMonitor<KillOptions> options,
    IDynatraceDirectory directory,
    TimeProvider time,
    ILogger<ProtectedTokens> logger,
    ICredentialProvider? credentials = null)
{
    private const string ConfiguredReason = "listed in KillSwitch:ProtectedTokenIds";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyDictionary<string, string> _own = new Dictionary<string, string>();
    private DateTimeOffset _ownExpires = DateTimeOffset.MinValue;

    /// <summary>
    /// For the kill: id → why it is protected. The app's own credentials (each environment's API tokens and each
    /// account's OAuth client ids) count when <see cref="KillOptions.ProtectOwnCredentials"/> is on, and are cached
    /// for <see cref="KillOptions.OwnCredentialCacheDuration"/> so Key Vault is not read on every batch.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (current.ProtectOwnCredentials)
        {
            foreach (var (id, reason) in await OwnCredentialsAsync(current.OwnCredentialCacheDuration, cancellationToken).ConfigureAwait(false))
            {
                result[id] = reason;
            }
        }

        foreach (var id in ConfiguredIds())
        {
            result[id] = ConfiguredReason;
        }

        return result;
    }

    /// <summary>The configured allow-list, trimmed, blanks left out.</summary>
    public IEnumerable<string> ConfiguredIds() =>
        options.CurrentValue.ProtectedTokenIds.Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim());

    /// <summary>
    /// For the hygiene timer: the token ids of every environment's management credentials, read now (no cache).
    /// <c>AllKnown</c> is false when one could not be read or is not a token, or no <see cref="ICredentialProvider"/> is
    /// registered: then an own token may be missing from <c>Ids</c>, and nothing should be disabled on the strength of it.
    /// </summary>
    public async Task<(IReadOnlyCollection<string> Ids, bool AllKnown)> ReadManagementCredentialsAsync(CancellationToken cancellationToken)
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        var allKnown = await AddManagementCredentialsAsync(own, cancellationToken).ConfigureAwait(false);
        return (own.Keys, allKnown);
    }

    private async Task<IReadOnlyDictionary<string, string>> OwnCredentialsAsync(TimeSpan cacheFor, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _ownExpires)
        {
            return _own;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (time.GetUtcNow() < _ownExpires)
            {
                return _own;
            }

            var own = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var account in directory.Accounts)
            {
                AddId(own, account.Account.ClientId, $"OAuth client of this app for account {account.Account.Name}");
                AddId(own, account.Account.SecondaryClientId, $"secondary OAuth client of this app for account {account.Account.Name}");
            }

            await AddManagementCredentialsAsync(own, cancellationToken).ConfigureAwait(false);
            _own = own;
            _ownExpires = time.GetUtcNow() + cacheFor;
            return own;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Each environment's primary and secondary API token; false when one could not be identified.</summary>
    private async Task<bool> AddManagementCredentialsAsync(Dictionary<string, string> own, CancellationToken cancellationToken)
    {
        if (credentials is null)
        {
            return false;
        }

        var allKnown = true;
        foreach (var client in directory.Environments)
        {
            var environment = client.Environment;
            var primary = await AddCredentialAsync(own, environment.Credential, $"management credential of this app for environment {environment.Name}", cancellationToken).ConfigureAwait(false);
            var secondary = await AddCredentialAsync(own, environment.SecondaryCredential, $"secondary management credential of this app for environment {environment.Name}", cancellationToken).ConfigureAwait(false);
            allKnown = allKnown && primary && secondary;
        }

        return allKnown;
    }

    private async Task<bool> AddCredentialAsync(Dictionary<string, string> own, CredentialReference? reference, string reason, CancellationToken cancellationToken)
    {
        if (reference is null || credentials is null)
        {
            return true;
        }

        try
        {
            var value = await credentials.GetAsync(reference, cancellationToken).ConfigureAwait(false);
            if (TokenSecret.TryParse(value?.Trim(), out var secret))
            {
                own[secret.Id.Value] = reason;
                return true;
            }

            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            KillLog.OwnCredentialUnresolved(logger, reference.ToString(), Redaction.RedactException(ex));
            return false;
        }
    }

    private static void AddId(Dictionary<string, string> own, string? id, string reason)
    {
        if (TokenId.TryParse(id?.Trim(), out var parsed))
        {
            own[parsed.Value] = reason;
        }
    }
}
