using TokenFunctions.Cli.Errors;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;

namespace TokenFunctions.Cli;

/// <summary>
/// The process exit codes, documented in docs/cli.md; scripts branch on them. 0–5 mean what they mean in dtctl,
/// Dynatrace's own CLI (1 error, 2 usage, 3 authentication, 4 not found, 5 permission); the rest are this tool's own.
/// Every code is in this file; a token's or a rotation's outcome reaches its code through the engine's one table of
/// outcomes (the Exit column of <see cref="OutcomeClassifier"/> and <see cref="RotationOutcomeClassifier"/>).
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded (disabled, already disabled, would disable, enabled, nothing found, every file read).</summary>
    public const int Ok = 0;

    /// <summary>Failed for another reason: Dynatrace rejected a request, a rotation did not complete, an unexpected error.</summary>
    public const int Error = 1;

    /// <summary>The command line is wrong (unknown command or option, bad value, not a token, unknown environment).</summary>
    public const int Usage = 2;

    /// <summary>A credential was refused or could not be had (HTTP 401, no Azure identity, a management credential unavailable).</summary>
    public const int Authentication = 3;

    /// <summary>What was asked for does not exist: no configured environment or account knows the token, no such secret.</summary>
    public const int NotFound = 4;

    /// <summary>The credential works but lacks a permission (HTTP 403, a missing scope or role).</summary>
    public const int Permission = 5;

    /// <summary>The configuration is missing or invalid; the message names the key and the file it came from.</summary>
    public const int Configuration = 6;

    /// <summary>Dynatrace or Key Vault did not answer (connection refused, timeout, 5xx after the retries); the message names the URL.</summary>
    public const int Unreachable = 7;

    /// <summary>A human must act: a protected, unsupported or own-credential token, or tokens <c>scan</c> found and did not disable.</summary>
    public const int NeedsHuman = 8;

    /// <summary><c>kill-switch</c>: the selector matches more than <c>--confirm-above</c> tokens and nothing was disabled; re-run with <c>--yes</c>.</summary>
    public const int ConfirmationRequired = 9;

    /// <summary><c>scan</c> did not read everything it was given (special, unreadable, vanished or capped files, named on stderr).</summary>
    public const int Incomplete = 10;

    /// <summary>Interrupted (Ctrl+C); durable progress is kept and the same command resumes.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// The rule for a run with mixed outcomes: the first of these that occurs wins. A run that did not finish says so
    /// first; then what stops every further step (the credential), then what a retry or a fix of access cures, then what
    /// a human must decide per token, and last a scan that could not look everywhere.
    /// </summary>
    internal static readonly int[] Precedence =
        [Interrupted, Usage, Configuration, Authentication, Permission, Unreachable, Error, NeedsHuman, NotFound, ConfirmationRequired, Incomplete];

    /// <summary>The code of a run whose parts ended with <paramref name="codes"/>, by <see cref="Precedence"/>.</summary>
    public static int Combine(IEnumerable<int> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var seen = codes.ToHashSet();
        return Precedence.FirstOrDefault(seen.Contains, Ok);
    }

    public static int Combine(params int[] codes) => Combine((IEnumerable<int>)codes);

    /// <summary>
    /// One token's outcome, by its <see cref="OutcomeRule.Exit"/> column. <paramref name="cause"/> tells a 401 from a 403
    /// (the engine folds both into Denied) and an unanswered request from a refused one (both are Failed).
    /// </summary>
    public static int Of(TokenOutcomeKind outcome, OutcomeCause cause) => OutcomeClassifier.Rule(outcome).Exit switch
    {
        OutcomeExit.CredentialRefused => cause == OutcomeCause.CredentialRefused ? Authentication : Permission,
        OutcomeExit.Failed => cause == OutcomeCause.Unanswered ? Unreachable : Error,
        var exit => Of(exit),
    };

    /// <summary>A rotation's outcome, by <see cref="RotationOutcomeClassifier.Exit"/>.</summary>
    public static int Of(RotationOutcome outcome) => Of(RotationOutcomeClassifier.Exit(outcome));

    /// <summary>A whole-run error of this kind.</summary>
    public static int Of(CliErrorKind kind) => kind switch
    {
        CliErrorKind.Usage => Usage,
        CliErrorKind.Configuration => Configuration,
        CliErrorKind.Authentication => Authentication,
        CliErrorKind.NotFound => NotFound,
        CliErrorKind.Permission => Permission,
        CliErrorKind.Unreachable => Unreachable,
        CliErrorKind.NeedsHuman => NeedsHuman,
        CliErrorKind.ConfirmationRequired => ConfirmationRequired,
        CliErrorKind.Incomplete => Incomplete,
        CliErrorKind.Interrupted => Interrupted,
        _ => Error,
    };

    private static int Of(OutcomeExit exit) => exit switch
    {
        OutcomeExit.Ok => Ok,
        OutcomeExit.NotFound => NotFound,
        OutcomeExit.NeedsHuman => NeedsHuman,
        OutcomeExit.Unreachable => Unreachable,
        OutcomeExit.Interrupted => Interrupted,
        _ => Error,
    };
}
