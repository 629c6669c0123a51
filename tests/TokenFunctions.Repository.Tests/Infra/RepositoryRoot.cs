namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>The repository checkout the tests run from: the nearest folder above the test binaries holding TokenFunctions.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "TokenFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TokenFunctions.sln above {AppContext.BaseDirectory}: run the tests from a checkout of the repository.");
    }
}
