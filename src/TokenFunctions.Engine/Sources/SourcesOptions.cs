namespace TokenFunctions.Engine.Sources;

/// <summary>Settings shared by every webhook source, bound from configuration section <c>Sources</c>.</summary>
public sealed class SourcesOptions
{
    public const string SectionName = "Sources";

    /// <summary>Bodies above this size get 413, judged on Content-Length first and then on the bytes actually streamed.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a request may spend disabling tokens inline (including fetching the secret from GitHub) before the rest
    /// is handed to the incident queue. Well inside GitHub's 10 s delivery timeout, leaving room for the hand-off.
    /// </summary>
    public TimeSpan InlineDeadline { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Budget of the hand-off to the incident queue, on top of <see cref="InlineDeadline"/>.</summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Once the answer is decided, how long a source's own follow-up (resolving the GitHub alert) may still run inline,
    /// and never longer than what is left of <see cref="InlineDeadline"/>. What it does not finish goes to the incident
    /// queue, so a slow GitHub delays the answer by at most this.
    /// </summary>
    public TimeSpan FollowUpBudget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a delivery claim blocks a duplicate before a crashed attempt can be retried.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a completed delivery id is remembered (duplicates within it answer 2xx without acting).</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);
}
