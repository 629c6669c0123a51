using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Rotation's view of <see cref="IDynatraceClientFactory"/>: the real <see cref="EnvironmentTokenClient"/> for an
/// environment description, built the same way as the directory's clients. Rotation asks it for one client per
/// environment: the one whose primary and secondary credentials are swapped.
/// </summary>
public sealed class DynatraceEnvironmentClientFactory(IDynatraceClientFactory clients) : IEnvironmentClientFactory
{
    public IEnvironmentTokenClient Create(DynatraceEnvironment environment) => clients.CreateEnvironment(environment);
}
