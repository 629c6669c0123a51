using System.Security.Cryptography.X509Certificates;

namespace TokenFunctions.KeyVaultSandbox;

public sealed record KeyVaultSandboxOptions
{
    /// <summary>The HTTPS port of the vault on 127.0.0.1; 0 picks a free one.</summary>
    public int VaultPort { get; init; }

    /// <summary>The plain-HTTP port of the managed-identity endpoint on 127.0.0.1; 0 picks a free one.</summary>
    public int IdentityPort { get; init; }

    /// <summary>The vault's TLS certificate (with its private key); a new self-signed one for 127.0.0.1 and localhost when null.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The value the managed-identity endpoint requires in <c>X-IDENTITY-HEADER</c>; random when null.</summary>
    public string? IdentityHeader { get; init; }

    /// <summary>
    /// When set, the identity endpoint models an app that has only this user-assigned identity (as the Bicep deploys it):
    /// a request without <c>client_id</c> (the system-assigned identity) or with another one is refused with 400. When
    /// null, any identity asked for is issued, the system-assigned one included.
    /// </summary>
    public string? UserAssignedClientId { get; init; }

    /// <summary>The vault's clock for <c>created</c> / <c>updated</c>. Bearer lifetimes and TLS use real time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Items per list page, 1-25 (Key Vault's own maximum is 25); small values make paging happen with few secrets.</summary>
    public int PageSize { get; init; } = 25;

    /// <summary>The tenant named in the bearer challenge's <c>authorization</c> URI.</summary>
    public string TenantId { get; init; } = "00000000-0000-0000-0000-00000000cafe";

    /// <summary>Keep a journal of requests (<see cref="KeyVaultSandbox.Requests"/>). Turn off for benchmarks.</summary>
    public bool RecordRequests { get; init; } = true;
}
