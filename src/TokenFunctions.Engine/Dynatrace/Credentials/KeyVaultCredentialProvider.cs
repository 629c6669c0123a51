using System.Collections.Concurrent;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace TokenFunctions.Engine.Dynatrace.Credentials;

/// <summary>
/// Reads credentials from Key Vault (with the managed identity in Azure) and keeps each for a short while, so a burst of
/// kill calls costs one Key Vault read, not one per token. Concurrent misses share a single read. Configuration
/// values (<see cref="CredentialReference.Value"/>) are returned as they are.
/// </summary>
public sealed class KeyVaultCredentialProvider(SecretClient client, TimeProvider time, TimeSpan cacheDuration) : IRefreshableCredentialProvider
{
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    public async ValueTask<string> GetAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.KeyVaultSecretName is not { Length: > 0 } name)
        {
            return reference.Value is { Length: > 0 } value
                ? value
                : throw new ManagementCredentialUnavailableException(reference, "neither a secret name nor a value is set.", isTransient: false);
        }

        var now = time.GetTimestamp();
        var entry = _cache.AddOrUpdate(
            name,
            static (key, state) => state.Provider.NewEntry(key, state.Reference, state.Now),
            static (key, existing, state) => state.Provider.IsFresh(existing, state.Now) ? existing : state.Provider.NewEntry(key, state.Reference, state.Now),
            (Provider: this, Reference: reference, Now: now));
        try
        {
            return await entry.Value.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ManagementCredentialUnavailableException)
        {
            // A failed read is not cached: the next caller tries again.
            _cache.TryRemove(new KeyValuePair<string, Entry>(name, entry));
            throw;
        }
    }

    public void Invalidate(CredentialReference reference)
    {
        if (reference?.KeyVaultSecretName is { } name)
        {
            _cache.TryRemove(name, out _);
        }
    }

    private bool IsFresh(Entry entry, long now) =>
        !(entry.Value.IsValueCreated && entry.Value.Value.IsFaulted) && time.GetElapsedTime(entry.ReadAt, now) < cacheDuration;

    // Lazy: AddOrUpdate may build an entry it then discards; only the one stored starts a Key Vault read.
    private Entry NewEntry(string name, CredentialReference reference, long now) =>
        new(new Lazy<Task<string>>(() => ReadAsync(name, reference), LazyThreadSafetyMode.ExecutionAndPublication), now);

    private async Task<string> ReadAsync(string name, CredentialReference reference)
    {
        try
        {
            // Not the caller's token: the read is shared by every caller waiting on it.
            var response = await client.GetSecretAsync(name, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return response.Value.Value is { Length: > 0 } secret
                ? secret
                : throw new ManagementCredentialUnavailableException(reference, "the secret is empty.", isTransient: false);
        }
        catch (RequestFailedException e) when (e.Status is 404)
        {
            throw new ManagementCredentialUnavailableException(reference, "the secret does not exist in Key Vault.", isTransient: false, e);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new ManagementCredentialUnavailableException(reference, $"Key Vault refused the read (HTTP {e.Status}); grant the identity 'Key Vault Secrets User'.", isTransient: false, e);
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            throw new ManagementCredentialUnavailableException(reference, "Key Vault could not be reached (no answer after the client's retries).", isTransient: true, e);
        }
        catch (RequestFailedException e)
        {
            throw new ManagementCredentialUnavailableException(reference, $"Key Vault answered HTTP {e.Status}.", isTransient: true, e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new ManagementCredentialUnavailableException(reference, "the managed identity could not get a token for Key Vault.", isTransient: true, e);
        }
    }

    private sealed record Entry(Lazy<Task<string>> Value, long ReadAt);
}
