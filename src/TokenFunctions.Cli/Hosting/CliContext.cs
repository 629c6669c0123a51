using System.CommandLine;
using Microsoft.Extensions.Configuration;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Output;

namespace TokenFunctions.Cli.Hosting;

/// <summary>What one invocation runs with: the console, the global options' values and the clock.</summary>
internal sealed record CliContext(CliConsole Console, OutputFormat Output, bool Verbose, FileInfo? ConfigFile, bool Sandbox, string StateDirectory, TimeProvider Time)
{
    public bool Json => Output == OutputFormat.Json;

    /// <summary>The settings the engine was started with, once it was: errors name the file a key came from.</summary>
    public IConfigurationRoot? Configuration { get; set; }

    /// <summary>Every HTTP target that did not answer in this run, for the "unreachable" lines.</summary>
    public UnansweredTargets Unanswered { get; } = new();

    public static CliContext From(ParseResult parse, GlobalOptions options, CliConsole console, TimeProvider time) => new(
        console,
        parse.GetValue(options.Output),
        parse.GetValue(options.Verbose),
        parse.GetValue(options.Config),
        parse.GetValue(options.Sandbox),
        StateDirectories.Resolve(parse.GetValue(options.StateDir)),
        time);

    /// <summary>Who acted, for the audit trail: the local user, marked as coming from the CLI.</summary>
    public static string RequestedBy => "cli:" + Environment.UserName;
}
