using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IDynatraceDirectory"/> fake. A list passed in is used as it is (a harness that adds clients later
/// sees them here); any other sequence is copied.
/// </summary>
public sealed class FakeDirectory(IEnumerable<IEnvironmentTokenClient>? environments = null, IEnumerable<IAccountTokenClient>? accounts = null) : IDynatraceDirectory
{
    public IReadOnlyList<IEnvironmentTokenClient> Environments { get; } = environments as IReadOnlyList<IEnvironmentTokenClient> ?? [.. environments ?? []];

    public IReadOnlyList<IAccountTokenClient> Accounts { get; } = accounts as IReadOnlyList<IAccountTokenClient> ?? [.. accounts ?? []];
}
