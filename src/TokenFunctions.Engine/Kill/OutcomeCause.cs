namespace TokenFunctions.Engine.Kill;

/// <summary>
/// What Dynatrace answered behind a <see cref="TokenOutcomeKind.Denied"/> or <see cref="TokenOutcomeKind.Failed"/> outcome,
/// for readers that tell those apart (the CLI's exit codes: authentication vs permission, unreachable vs error) without
/// reading the detail text.
/// </summary>
public enum OutcomeCause
{
    /// <summary>Nothing more to say (every other outcome, or an unexpected error).</summary>
    None,

    /// <summary>HTTP 401: the app's credential was refused.</summary>
    CredentialRefused,

    /// <summary>HTTP 403: the credential works but lacks a scope.</summary>
    PermissionMissing,

    /// <summary>Nobody answered in time: deadline, connection failure, 429 or 5xx after the retries.</summary>
    Unanswered,

    /// <summary>Dynatrace answered and refused the request itself (another 4xx); a retry will not help.</summary>
    Rejected,
}
