using Azure.Core;

namespace TokenFunctions.Cli.Sandbox;

/// <summary>The sandbox vault's bearer, written to its settings file, as the <see cref="TokenCredential"/> of a later CLI run.</summary>
internal sealed class StaticBearerCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
