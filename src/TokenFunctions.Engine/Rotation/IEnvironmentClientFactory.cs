using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Builds an Environment API client for an environment description. Rotation uses it for one thing: rotating the app's
/// own primary management credential with the secondary one (the environment with its two credentials swapped), so
/// Dynatrace's "you can't disable the token you're using" never applies and a leaked, already-disabled primary is not
/// needed to create its own replacement.
/// </summary>
public interface IEnvironmentClientFactory
{
    IEnvironmentTokenClient Create(DynatraceEnvironment environment);
}
