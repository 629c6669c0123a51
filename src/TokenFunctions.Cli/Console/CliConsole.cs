namespace TokenFunctions.Cli.Console;

/// <summary>
/// Where the CLI writes and reads. Both writers pass every line through the engine's redaction, so no code path (a parse
/// error echoing an argument, an exception message, a log line) can print a token secret. Stdin is a byte stream:
/// <c>scan -</c> reads it in chunks, whatever its size or encoding.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, Stream input, Terminals terminals = Terminals.None)
    {
        Out = new RedactingWriter(output);
        Error = new RedactingWriter(error);
        Input = input;
        Terminals = terminals;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public Stream Input { get; }

    public Terminals Terminals { get; }

    /// <summary>Stderr is an interactive terminal: progress is drawn (on stderr) only then.</summary>
    public bool ErrorIsTerminal => Terminals.HasFlag(Terminals.Error);

    /// <summary>Stdin is an interactive terminal: a command that reads it says what it is waiting for.</summary>
    public bool InputIsTerminal => Terminals.HasFlag(Terminals.Input);

    public static CliConsole FromSystem() => new(
        System.Console.Out,
        System.Console.Error,
        System.Console.OpenStandardInput(),
        (System.Console.IsInputRedirected ? Terminals.None : Terminals.Input)
            | (System.Console.IsOutputRedirected ? Terminals.None : Terminals.Output)
            | (System.Console.IsErrorRedirected ? Terminals.None : Terminals.Error));
}

/// <summary>Which standard streams are interactive terminals.</summary>
[Flags]
public enum Terminals
{
    None = 0,
    Input = 1,
    Output = 2,
    Error = 4,
}
