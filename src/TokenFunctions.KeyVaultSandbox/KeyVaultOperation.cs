namespace TokenFunctions.KeyVaultSandbox;

/// <summary>What a request to the sandbox asked for; faults and the request journal are keyed by it.</summary>
public enum KeyVaultOperation
{
    /// <summary>A path or method the sandbox does not serve (answered 404 or 501).</summary>
    Unsupported = 0,

    /// <summary><c>PUT /secrets/{name}</c>: a new version (<c>SecretClient.SetSecretAsync</c>).</summary>
    SetSecret,

    /// <summary><c>GET /secrets/{name}/{version?}</c> (<c>SecretClient.GetSecretAsync</c>).</summary>
    GetSecret,

    /// <summary><c>PATCH /secrets/{name}/{version}</c> (<c>SecretClient.UpdateSecretPropertiesAsync</c>).</summary>
    UpdateSecretProperties,

    /// <summary><c>GET /secrets</c> (<c>SecretClient.GetPropertiesOfSecretsAsync</c>), one request per page.</summary>
    ListSecrets,

    /// <summary><c>GET /secrets/{name}/versions</c> (<c>SecretClient.GetPropertiesOfSecretVersionsAsync</c>), one request per page.</summary>
    ListSecretVersions,

    /// <summary>The App Service managed-identity endpoint (<c>IDENTITY_ENDPOINT</c>), served over plain HTTP on loopback.</summary>
    ManagedIdentityToken,
}
