using Azure.Core;

namespace TokenFunctions.KeyVaultSandbox;

/// <summary>The sandbox's own bearer for in-process clients: what a host registers as its <see cref="TokenCredential"/>.</summary>
internal sealed class SandboxCredential(string token, DateTimeOffset expiresOn) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, expiresOn);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AccessToken(token, expiresOn));
}
