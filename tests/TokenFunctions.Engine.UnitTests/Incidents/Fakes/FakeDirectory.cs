using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.Incidents.Testing;

public sealed class FakeDirectory(IEnumerable<IEnvironmentTokenClient>? environments = null, IEnumerable<IAccountTokenClient>? accounts = null) : IDynatraceDirectory
{
    public IReadOnlyList<IEnvironmentTokenClient> Environments { get; } = [.. environments ?? []];

    public IReadOnlyList<IAccountTokenClient> Accounts { get; } = [.. accounts ?? []];
}
