namespace TokenFunctions.Cli;

/// <summary>The process exit codes, documented in docs/cli.md; scripts branch on them.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded (disabled, already disabled, would disable, enabled, nothing found).</summary>
    public const int Ok = 0;

    /// <summary>Something needs a human or failed: not found, protected, denied, transient failure, tokens found by <c>scan</c> without <c>--kill</c>, a status problem.</summary>
    public const int NeedsAttention = 1;

    /// <summary>The command line is wrong (unknown option, missing argument, not a token).</summary>
    public const int Usage = 2;

    /// <summary><c>kill-switch</c>: the selector matches more tokens than <c>--confirm-above</c>; re-run with <c>--yes</c>.</summary>
    public const int ConfirmationRequired = 3;

    /// <summary>The configuration is missing or invalid (no environment, bad option values, no Key Vault for <c>rotate</c>).</summary>
    public const int Configuration = 4;

    /// <summary>Interrupted (Ctrl+C); durable progress is kept and the same command resumes.</summary>
    public const int Interrupted = 130;
}
