namespace TokenFunctions.Cli.Tests.Support;

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "cli sandbox";
}
