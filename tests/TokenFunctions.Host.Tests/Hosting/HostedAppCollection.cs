namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>The scenarios that share one running worker (one start for all of them; they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class HostedAppCollection : ICollectionFixture<HostedApp>
{
    public const string Name = "Hosted app";
}
