namespace TokenFunctions.KeyVaultSandbox.State;

/// <summary>A bearer the sandbox handed out: from the identity endpoint, or the in-process credential's.</summary>
internal sealed record IssuedToken(string Resource, string ClientId, DateTimeOffset ExpiresOn);
