using System.CommandLine;
using TokenFunctions.Cli.Output;

namespace TokenFunctions.Cli.Hosting;

/// <summary>The options every command accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (for people) or json (for scripts).",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log the engine's decisions to stderr (through the redacting logger: ids and fingerprints only).",
        Recursive = true,
    };

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "A settings file: appsettings-style JSON, or a local.settings.json (its \"Values\", with __ as the section separator).",
        Recursive = true,
    };

    public Option<bool> Sandbox { get; } = new("--sandbox")
    {
        Description = "Start the seeded loopback Dynatrace sandbox in this process and point the engine at it.",
        Recursive = true,
    };

    public Option<string?> StateDir { get; } = new("--state-dir")
    {
        Description = "Folder of the embedded store (default $TOKENFUNCTIONS_STATE_DIR, else $XDG_STATE_HOME/tokenfunctions, else ~/.local/state/tokenfunctions).",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Output);
        root.Options.Add(Verbose);
        root.Options.Add(Config);
        root.Options.Add(Sandbox);
        root.Options.Add(StateDir);
    }
}
