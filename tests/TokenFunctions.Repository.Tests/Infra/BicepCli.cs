using System.Reflection;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>
/// The Bicep CLI shipped in the NuGet package Azure.Bicep.CommandLine.linux-x64, which this test project references
/// (restore puts it in the NuGet package folder). Missing → the tests fail with how to get it; they never skip.
/// </summary>
internal static class BicepCli
{
    public const string PackageId = "azure.bicep.commandline.linux-x64";

    public const string Version = "0.49.2";

    public static string Locate()
    {
        var candidates = Candidates().Distinct(StringComparer.Ordinal).ToList();
        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"Bicep CLI {Version} not found. Looked at: {string.Join(", ", candidates)}. "
                + "Run `dotnet restore tests/TokenFunctions.Repository.Tests` (it references Azure.Bicep.CommandLine.linux-x64).");
        EnsureExecutable(found);
        return found;
    }

    private static IEnumerable<string> Candidates()
    {
        // Baked in at build time from MSBuild's PkgAzure_Bicep_CommandLine_linux-x64 (GeneratePathProperty).
        var packageRoot = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        if (!string.IsNullOrEmpty(packageRoot))
        {
            yield return Path.Combine(packageRoot, "tools", "bicep");
        }

        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } nugetPackages)
        {
            yield return Path.Combine(nugetPackages, PackageId, Version, "tools", "bicep");
        }

        yield return Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", PackageId, Version, "tools", "bicep");
    }

    /// <summary>NuGet does not always keep the executable bit when it extracts a package.</summary>
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The Infra tests run the linux-x64 Bicep CLI; run them on Linux (CI does).");
        }

        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }
    }
}
