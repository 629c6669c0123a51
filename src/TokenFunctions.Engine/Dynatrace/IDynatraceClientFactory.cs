namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Builds the token client of one environment or account, with its HTTP pipelines, credentials and options. The directory
/// asks it for the configured targets; rotation asks it for an environment with its two credentials swapped.
/// </summary>
public interface IDynatraceClientFactory
{
    IEnvironmentTokenClient CreateEnvironment(DynatraceEnvironment environment);

    IAccountTokenClient CreateAccount(DynatraceAccount account);
}
