using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.UnitTests.Kill;

internal sealed class FakeDirectory(IReadOnlyList<FakeEnvironment> environments, IReadOnlyList<FakeAccount> accounts) : IDynatraceDirectory
{
    public IReadOnlyList<IEnvironmentTokenClient> Environments => environments;

    public IReadOnlyList<IAccountTokenClient> Accounts => accounts;
}
