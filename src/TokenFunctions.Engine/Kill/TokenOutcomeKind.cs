namespace TokenFunctions.Engine.Kill;

/// <summary>What happened to one token.</summary>
public enum TokenOutcomeKind
{
    /// <summary>This call disabled it.</summary>
    Disabled,

    /// <summary>It was already disabled; counts as success.</summary>
    AlreadyDisabled,

    /// <summary>Dry run: it would have been disabled; no write endpoint was called.</summary>
    WouldDisable,

    /// <summary>No configured environment or account knows it.</summary>
    NotFound,

    /// <summary>A Dynatrace token kind with no kill path (e.g. OAuth client secrets): a human must act.</summary>
    Unsupported,

    /// <summary>Allow-listed: never disabled automatically; a human must decide.</summary>
    Protected,

    /// <summary>Dynatrace refused our credential (401/403): fix the credential or its scopes.</summary>
    Denied,

    /// <summary>It is our own management credential and no secondary credential is configured.</summary>
    CannotDisableOwnCredential,

    /// <summary>Transient failure (429/5xx/timeout) after the retry budget: try again later.</summary>
    Failed,

    /// <summary><see cref="IKillService.EnableAsync"/>: the token is enabled again (or already was).</summary>
    Enabled,

    /// <summary><see cref="IKillService.EnableAsync"/> under the global dry run: it would have been enabled.</summary>
    WouldEnable,

    /// <summary>
    /// A platform token an account answered 404 for under its <c>dt0s16</c> id, at a server whose ids take another form, and
    /// no search mapped it: it may be live. Cannot address this token (id form unknown); never "not found". A human must act.
    /// </summary>
    Unaddressable,

    /// <summary>
    /// The leak's full secret did not verify anywhere, but its id exists in an environment: a forged or altered secret glued
    /// to a real id, or a real leak reported wrongly. Not disabled; a human decides and kills it by id if the leak is real.
    /// </summary>
    SecretNotVerified,

    /// <summary>
    /// The caller's deadline or cancellation (inline deadline, Ctrl+C, host shutdown) cut the work before it finished:
    /// retryable like <see cref="Failed"/>, but not a sign that Dynatrace failed. Last, so the
    /// numeric values of the others keep their meaning.
    /// </summary>
    Interrupted,
}
