using System.Text.Json;
using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>The content of a <c>--seed</c> file, also usable from C# via <see cref="DynatraceSandbox.ApplySeed"/>.</summary>
public sealed record SandboxSeed
{
    /// <summary>The environment host-less <c>/api/…</c> requests go to (SaaS-style base URL). Defaults to the first one.</summary>
    public string? DefaultEnvironment { get; init; }

    /// <summary>The <c>expires_in</c> of issued OAuth bearers; Dynatrace documents 300.</summary>
    public int? BearerLifetimeSeconds { get; init; }

    /// <summary>The number of the first platform-token list page, 0 (default) or 1; see <see cref="SandboxOptions.PlatformTokenPageBase"/>.</summary>
    public int? PlatformTokenPageBase { get; init; }

    /// <summary>The reading of the platform-token sources to play; see <see cref="SandboxPlatformReading"/>.</summary>
    public SandboxPlatformReading? PlatformReading { get; init; }

    public IReadOnlyList<SandboxEnvironmentSeed> Environments { get; init; } = [];

    public IReadOnlyList<SandboxAccountSeed> Accounts { get; init; } = [];

    public static SandboxSeed Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, SandboxJsonContext.Default.SandboxSeed)
            ?? throw new InvalidDataException($"Seed file '{path}' is empty.");
    }
}

public sealed record SandboxEnvironmentSeed
{
    public required string Id { get; init; }

    public IReadOnlyList<SandboxApiTokenSeed> Tokens { get; init; } = [];

    /// <summary>A "Phase 3" environment: creating classic API tokens is refused.</summary>
    public bool? ClassicCreationDisabled { get; init; }
}

public sealed record SandboxAccountSeed
{
    public required Guid Uuid { get; init; }

    /// <summary>What <c>PUT …/status</c> answers on success: 204 per the response table, 200 per the docs' example.</summary>
    public int? StatusSuccessCode { get; init; }

    public IReadOnlyList<SandboxOAuthClientSeed> Clients { get; init; } = [];

    public IReadOnlyList<SandboxPlatformTokenSeed> PlatformTokens { get; init; } = [];
}

public sealed record SandboxOAuthClientSeed
{
    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public string? UserUuid { get; init; }

    public override string ToString() => ClientId;
}
