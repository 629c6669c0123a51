namespace TokenFunctions.Cli.Hosting;

/// <summary>Where the embedded store lives: an explicit folder, <c>$TOKENFUNCTIONS_STATE_DIR</c>, or the XDG state home.</summary>
internal static class StateDirectories
{
    public const string EnvironmentVariable = "TOKENFUNCTIONS_STATE_DIR";

    public static string Resolve(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(stateHome, "tokenfunctions");
    }
}
