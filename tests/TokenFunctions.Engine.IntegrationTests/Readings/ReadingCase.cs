using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Rotation;

namespace TokenFunctions.Engine.IntegrationTests.Readings;

/// <summary>
/// One reading of Dynatrace's platform-token sources (reference §10) for the sandbox to play, and the scopes the app's
/// OAuth client is granted under it. <see cref="All"/> is the matrix's axis: every row of §10, alone or as dtctl reads
/// them together.
/// </summary>
internal sealed record ReadingCase(string Name, SandboxPlatformReading Reading, IReadOnlyList<string>? ClientScopes = null, int StatusCode = 204)
{
    private static readonly string[] IdmOnly = ["account-idm-read", "account-idm-write"];
    private static readonly string[] PlatformTokenOnly = ["platform-token:tokens:manage", "platform-token:tokens:write"];

    public static IReadOnlyList<ReadingCase> All { get; } =
    [
        new("docs", new SandboxPlatformReading()),
        new("page-base-1", new SandboxPlatformReading { PageBase = 1 }),
        new("dtctl-paging", new SandboxPlatformReading { Paging = SandboxPagingNames.PageNumberAndPageSize }),
        new("search-ignored", new SandboxPlatformReading { Paging = SandboxPagingNames.PageNumberAndPageSize, HonoursSearchTerm = false }),
        new("idm-scopes-enforced", new SandboxPlatformReading { ScopeFamily = SandboxScopeFamily.AccountIdm }, IdmOnly),
        new("platform-token-scopes-granted-only", new SandboxPlatformReading { ScopeFamily = SandboxScopeFamily.PlatformToken }, PlatformTokenOnly),
        new("platform-token-scopes-enforced", new SandboxPlatformReading { ScopeFamily = SandboxScopeFamily.PlatformToken }),
        new("uuid-ids", new SandboxPlatformReading { IdForm = SandboxIdForm.Uuid }),
        new("dtctl", new SandboxPlatformReading { Paging = SandboxPagingNames.PageNumberAndPageSize, IdForm = SandboxIdForm.Uuid, ScopeFamily = SandboxScopeFamily.PlatformToken }, PlatformTokenOnly),
        new("no-status-in-list", new SandboxPlatformReading { ListsStatus = false }),
        new("last-client-ip", new SandboxPlatformReading { LastClientAsIp = true }),
        new("status-put-200", new SandboxPlatformReading(), StatusCode: 200),
    ];

    public static TheoryData<string> Names => [.. All.Select(r => r.Name)];

    public static ReadingCase Named(string name) => All.Single(r => r.Name == name);

    /// <summary>The SSO grants this client the docs' account-idm scopes (the audit log's too).</summary>
    public bool HoldsIdmScopes => ClientScopes is null || ClientScopes.Contains("account-idm-read");

    /// <summary>The family the app ends up holding: the docs' unless the API or the SSO refuses it.</summary>
    public string ExpectedFamily => Reading.ScopeFamily == SandboxScopeFamily.PlatformToken ? "platform-token" : "account-idm";

    public Task<RotationSandboxScenario> StartAsync(Action<DynatraceConfig>? configure = null) =>
        RotationSandboxScenario.StartAsync(Reading, ClientScopes, StatusCode, configure);

    public override string ToString() => $"{Name}: {Reading}";
}
