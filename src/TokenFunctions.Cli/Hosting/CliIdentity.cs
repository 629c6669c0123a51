namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// How the tool names itself. Usage lines and examples always say <c>tokenfunctions</c> (the installed tool's command,
/// whatever the assembly is called); hints that tell the user what to type next say what works where this copy runs:
/// the installed command, or <c>dotnet run --project src/TokenFunctions.Cli --</c> inside a clone.
/// </summary>
internal static class CliIdentity
{
    public const string Name = "tokenfunctions";

    private static readonly Lazy<string> Prefix = new(() => RunsFromClone() ? "dotnet run --project src/TokenFunctions.Cli --" : Name);

    /// <summary>The command line that runs <paramref name="arguments"/> with this copy of the tool.</summary>
    public static string Command(string arguments) => Prefix.Value + " " + arguments;

    /// <summary>A build output inside a repository clone (bin/… below a folder holding src/TokenFunctions.Cli), not an installed tool.</summary>
    private static bool RunsFromClone()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "src", "TokenFunctions.Cli", "TokenFunctions.Cli.csproj")))
            {
                return true;
            }
        }

        return false;
    }
}
