namespace TokenFunctions.Engine.Kill;

/// <summary>
/// How the CLI's exit code (docs/cli.md) reads an outcome: the one consumer that tells some outcomes apart from their
/// <see cref="OutcomeClass"/> on purpose (a token nobody knows is "not found", as in dtctl; a refused credential is an
/// access problem, not a token that needs a human). The CLI turns each into its code.
/// </summary>
public enum OutcomeExit
{
    Ok,

    NotFound,

    NeedsHuman,

    /// <summary>Dynatrace refused our credential: authentication (401) or permission (403), told apart by the outcome's detail.</summary>
    CredentialRefused,

    /// <summary>Failed: unreachable when nobody answered (deadline, connection, 429/5xx), otherwise an error; told apart by the detail.</summary>
    Failed,

    Unreachable,

    Error,

    Interrupted,
}
