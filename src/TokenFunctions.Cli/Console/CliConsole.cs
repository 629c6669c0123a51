namespace TokenFunctions.Cli.Console;

/// <summary>
/// Where the CLI writes and reads. Both writers pass every line through the engine's redaction, so no code path (a parse
/// error echoing an argument, an exception message, a log line) can print a token secret.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, TextReader input, bool isTerminal)
    {
        Out = new RedactingWriter(output);
        Error = new RedactingWriter(error);
        In = input;
        IsTerminal = isTerminal;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public TextReader In { get; }

    /// <summary>Stdout is an interactive terminal: progress bars are drawn only then.</summary>
    public bool IsTerminal { get; }

    public static CliConsole FromSystem() =>
        new(System.Console.Out, System.Console.Error, System.Console.In, !System.Console.IsOutputRedirected);
}
