namespace TokenFunctions.Cli.Errors;

/// <summary>
/// An expected failure of a whole command, typed by <see cref="Kind"/>: printed as one line (and with <c>-o json</c> as an
/// error document), never as a stack trace. The message must be free of secrets and say what to do.
/// </summary>
public sealed class CliException : Exception
{
    public CliException(CliErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public CliException()
        : this(CliErrorKind.Error, "The command failed.")
    {
    }

    public CliException(string message)
        : this(CliErrorKind.Error, message)
    {
    }

    public CliException(string message, Exception innerException)
        : this(CliErrorKind.Error, message, innerException)
    {
    }

    public CliErrorKind Kind { get; }

    public static CliException Usage(string message) => new(CliErrorKind.Usage, message);

    public static CliException Configuration(string message, Exception? inner = null) => new(CliErrorKind.Configuration, message, inner);

    public static CliException Authentication(string message, Exception? inner = null) => new(CliErrorKind.Authentication, message, inner);

    public static CliException NotFound(string message) => new(CliErrorKind.NotFound, message);

    public static CliException Permission(string message, Exception? inner = null) => new(CliErrorKind.Permission, message, inner);

    public static CliException Unreachable(string message, Exception? inner = null) => new(CliErrorKind.Unreachable, message, inner);
}
