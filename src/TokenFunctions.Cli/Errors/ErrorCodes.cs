namespace TokenFunctions.Cli.Errors;

/// <summary>The <c>error.code</c> of a JSON error document; dtctl's names where the meaning is the same.</summary>
internal static class ErrorCodes
{
    public static string Of(CliErrorKind kind) => kind switch
    {
        CliErrorKind.Usage => "usage",
        CliErrorKind.Configuration => "configuration",
        CliErrorKind.Authentication => "auth_required",
        CliErrorKind.NotFound => "not_found",
        CliErrorKind.Permission => "permission_denied",
        CliErrorKind.Unreachable => "unreachable",
        CliErrorKind.NeedsHuman => "needs_human",
        CliErrorKind.ConfirmationRequired => "confirmation_required",
        CliErrorKind.Incomplete => "incomplete",
        CliErrorKind.Interrupted => "interrupted",
        _ => "error",
    };
}
