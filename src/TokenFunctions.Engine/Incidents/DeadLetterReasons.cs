namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// The dead-letter reason codes: short, stable, and safe to alert on (they are the <c>reason</c> tag of the
/// <c>tokenfunctions.deadletters</c> metric). The description beside each one says what a human should do.
/// </summary>
public static class DeadLetterReasons
{
    /// <summary>The body is not JSON (or repeats a property). Never retried.</summary>
    public const string InvalidJson = "InvalidJson";

    /// <summary>The <c>type</c> is not one of <c>disable</c>, <c>rotate</c>, <c>kill-switch</c>, <c>enable</c>.</summary>
    public const string UnknownType = "UnknownType";

    /// <summary>The <c>version</c> is not one this deployment understands.</summary>
    public const string UnsupportedVersion = "UnsupportedVersion";

    /// <summary>JSON of the right type and version that breaks the contract (missing field, unknown field, bad token entry…).</summary>
    public const string SchemaViolation = "SchemaViolation";

    /// <summary>The body is larger than <c>Incidents:MaxMessageBytes</c>.</summary>
    public const string MessageTooLarge = "MessageTooLarge";

    /// <summary>The message names an environment or account this deployment does not have.</summary>
    public const string UnknownTarget = "UnknownTarget";

    /// <summary>A <c>rotate</c> message reached a deployment without the rotation capability.</summary>
    public const string RotationUnavailable = "RotationUnavailable";

    /// <summary>Work remained after the last allowed delivery (transient Dynatrace failures, or the work budget ran out).</summary>
    public const string RetriesExhausted = "RetriesExhausted";

    /// <summary>Dynatrace refused our credential, or a token is our own credential: retrying cannot help, a human must act.</summary>
    public const string NeedsHuman = "NeedsHuman";

    /// <summary>An unexpected error on the last allowed delivery (a bug or an unavailable store); see the logs for the message id.</summary>
    public const string ProcessingError = "ProcessingError";
}
