using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>
/// Token ids the kill-switch must never disable, each with the reason: the configured allow-list plus, when
/// <see cref="KillSwitchOptions.ProtectOwnCredentials"/> is on, the app's own management credentials (resolved through
/// <see cref="ICredentialProvider"/> and cached, so Key Vault is not read on every batch). Only ids are kept.
/// </summary>
internal sealed class ProtectedTokens(
    IOptionsMonitor<KillSwitchOptions> options,
    IDynatraceDirectory directory,
    ICredentialProvider? credentials,
    TimeProvider time,
    ILogger logger)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyDictionary<string, string> _own = new Dictionary<string, string>();
    private DateTimeOffset _ownExpires = DateTimeOffset.MinValue;

    /// <summary>id → why it is protected.</summary>
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

        foreach (var id in current.ProtectedTokenIds)
        {
            if (!string.IsNullOrWhiteSpace(id))
            {
                result[id.Trim()] = "listed in KillSwitch:ProtectedTokenIds";
            }
        }

        return result;
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

            if (credentials is not null)
            {
                foreach (var client in directory.Environments)
                {
                    var environment = client.Environment;
                    await AddCredentialAsync(own, environment.Credential, $"management credential of this app for environment {environment.Name}", cancellationToken).ConfigureAwait(false);
                    await AddCredentialAsync(own, environment.SecondaryCredential, $"secondary management credential of this app for environment {environment.Name}", cancellationToken).ConfigureAwait(false);
                }
            }

            _own = own;
            _ownExpires = time.GetUtcNow() + cacheFor;
            return own;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task AddCredentialAsync(Dictionary<string, string> own, CredentialReference? reference, string reason, CancellationToken cancellationToken)
    {
        if (reference is null || credentials is null)
        {
            return;
        }

        try
        {
            var value = await credentials.GetAsync(reference, cancellationToken).ConfigureAwait(false);
            if (TokenSecret.TryParse(value?.Trim(), out var secret))
            {
                own[secret.Id.Value] = reason;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            KillSwitchLog.OwnCredentialUnresolved(logger, reference.ToString(), Redaction.RedactException(ex));
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
