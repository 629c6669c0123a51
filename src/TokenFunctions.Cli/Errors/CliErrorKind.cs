namespace TokenFunctions.Cli.Errors;

/// <summary>The kinds of failure a command reports; <see cref="ExitCodes.Of(CliErrorKind)"/> gives each its exit code.</summary>
public enum CliErrorKind
{
    Error,
    Usage,
    Configuration,
    Authentication,
    NotFound,
    Permission,
    Unreachable,
    NeedsHuman,
    ConfirmationRequired,
    Incomplete,
    Interrupted,
}
