using Microsoft.AspNetCore.Http;

namespace TokenFunctions.KeyVaultSandbox.Api;

/// <summary>A request's operation and the secret name and version in its path (unescaped; not yet validated).</summary>
internal readonly record struct VaultRoute(KeyVaultOperation Operation, string? Name = null, string? Version = null)
{
    private const string Collection = "/secrets";

    /// <summary>
    /// <c>/secrets</c>, <c>/secrets/{name}</c>, <c>/secrets/{name}/</c> (the SDK's versionless read),
    /// <c>/secrets/{name}/versions</c> and <c>/secrets/{name}/{version}</c>, each with the methods Key Vault gives it.
    /// </summary>
    public static VaultRoute Parse(string method, string path)
    {
        if (!path.StartsWith(Collection, StringComparison.OrdinalIgnoreCase))
        {
            return new VaultRoute(KeyVaultOperation.Unsupported);
        }

        var rest = path[Collection.Length..];
        if (rest is "" or "/")
        {
            return new VaultRoute(HttpMethods.IsGet(method) ? KeyVaultOperation.ListSecrets : KeyVaultOperation.Unsupported);
        }

        var parts = rest[0] == '/' ? rest[1..].Split('/') : [];
        if (parts.Length is 0 or > 3 || parts[0].Length == 0 || (parts.Length == 3 && parts[2].Length > 0))
        {
            return new VaultRoute(KeyVaultOperation.Unsupported);
        }

        var name = Uri.UnescapeDataString(parts[0]);
        var second = parts.Length > 1 ? parts[1] : string.Empty;
        if (second.Equals("versions", StringComparison.OrdinalIgnoreCase))
        {
            return new VaultRoute(HttpMethods.IsGet(method) ? KeyVaultOperation.ListSecretVersions : KeyVaultOperation.Unsupported, name);
        }

        var version = second.Length == 0 ? null : Uri.UnescapeDataString(second);
        var operation = method switch
        {
            _ when HttpMethods.IsPut(method) && version is null && parts.Length == 1 => KeyVaultOperation.SetSecret,
            _ when HttpMethods.IsGet(method) => KeyVaultOperation.GetSecret,
            _ when HttpMethods.IsPatch(method) => KeyVaultOperation.UpdateSecretProperties,
            _ => KeyVaultOperation.Unsupported,
        };
        return new VaultRoute(operation, name, version);
    }
}
