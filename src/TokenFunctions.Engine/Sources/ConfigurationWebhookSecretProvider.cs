using Microsoft.Extensions.Configuration;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources;

/// <summary>
/// Reads <c>Sources:{name}</c> and <c>Sources:{name}Previous</c> from configuration on every call, so a rotated Key Vault
/// reference is picked up when the app settings reload. Every value read is registered with <see cref="KnownSecrets"/>,
/// so it is masked wherever it could appear.
/// </summary>
public sealed class ConfigurationWebhookSecretProvider(IConfiguration configuration) : IWebhookSecretProvider
{
    public ValueTask<WebhookSecret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var key = SourcesOptions.SectionName + ":" + name;
        var current = configuration[key];
        if (string.IsNullOrEmpty(current))
        {
            return ValueTask.FromResult<WebhookSecret?>(null);
        }

        var previous = configuration[key + "Previous"];
        KnownSecrets.Register(current);
        KnownSecrets.Register(previous);
        return ValueTask.FromResult<WebhookSecret?>(new WebhookSecret(current, previous));
    }
}
