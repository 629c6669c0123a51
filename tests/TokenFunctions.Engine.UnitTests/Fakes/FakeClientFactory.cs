using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IDynatraceClientFactory"/> fake: clients over a <see cref="FakeDynatrace"/>, remembering the
/// environments asked for (rotation asks for the primary's environment with its two credentials swapped).
/// </summary>
public sealed class FakeClientFactory(FakeDynatrace dynatrace) : IDynatraceClientFactory
{
    public List<DynatraceEnvironment> Created { get; } = [];

    public IEnvironmentTokenClient CreateEnvironment(DynatraceEnvironment environment)
    {
        Created.Add(environment);
        return dynatrace.EnvironmentClient(environment);
    }

    public IAccountTokenClient CreateAccount(DynatraceAccount account) => dynatrace.AccountClient(account);
}
