namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// Settings bound from section <c>Notifications</c>. Webhook URLs are secrets (anyone holding one can post to the
/// channel): keep them in Key Vault and reference them from app settings
/// (<c>@Microsoft.KeyVault(SecretUri=…)</c>). They are never logged beyond their host.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    public TeamsNotificationOptions Teams { get; set; } = new();

    public SlackNotificationOptions Slack { get; set; } = new();

    public GenericNotificationOptions Generic { get; set; } = new();

    /// <summary>
    /// Token owner (Dynatrace user e-mail of a classic token, user UUID of a platform token) or environment/account name
    /// → who to tell: a Slack mention such as <c>&lt;@U024BE7LH&gt;</c>, an e-mail address, a team name. Case-insensitive.
    /// </summary>
    public Dictionary<string, string> OwnerContacts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Contact for tokens whose owner has no entry (e.g. the security on-call).</summary>
    public string? DefaultContact { get; set; }

    /// <summary>Per-attempt timeout of one webhook POST.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Budget for one notification on one channel, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt on 5xx, 408, 429, timeouts and connection failures.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay (exponential with jitter; a 429's Retry-After wins).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Incidents waiting to be sent. When full, new incidents are counted as failures and logged, never waited for.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Incidents sent at the same time (each to all channels in parallel).</summary>
    public int MaxConcurrentIncidents { get; set; } = 4;

    /// <summary>Tokens listed in a Teams or Slack message; the rest are counted and left to the audit query.</summary>
    public int MaxTokensListed { get; set; } = 20;

    /// <summary>The same incident with the same outcomes is not announced twice within this window (redeliveries).</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A queued kill-switch reaches the kill in many batches, each reporting its part of the same incident. An
    /// incident's message waits until no further part has arrived for this long, so the parts become one message.
    /// Zero sends each part as soon as it is read.
    /// </summary>
    public TimeSpan CoalesceQuietPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on that wait from an incident's first part: a long kill-switch reports at this pace.</summary>
    public TimeSpan CoalesceMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Announce dry-run incidents too (marked as such).</summary>
    public bool NotifyDryRun { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, url) in new[] { ("Teams:WebhookUrl", Teams.WebhookUrl), ("Slack:WebhookUrl", Slack.WebhookUrl), ("Generic:Url", Generic.Url) })
        {
            if (url is not null && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            {
                yield return $"Notifications:{name} must be an absolute http(s) URL.";
            }
        }

        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            yield return "Notifications:AttemptTimeout must be positive and no longer than Notifications:TotalTimeout.";
        }

        if (MaxRetryAttempts < 0 || RetryBaseDelay < TimeSpan.Zero)
        {
            yield return "Notifications:MaxRetryAttempts and Notifications:RetryBaseDelay must not be negative.";
        }

        if (CoalesceQuietPeriod < TimeSpan.Zero || CoalesceMaxDelay < CoalesceQuietPeriod || CoalesceMaxDelay > TimeSpan.FromMinutes(10))
        {
            yield return "Notifications:CoalesceQuietPeriod must not be negative, and CoalesceMaxDelay must be between it and 10 minutes.";
        }

        if (QueueCapacity < 1 || MaxConcurrentIncidents < 1 || MaxTokensListed < 1 || DuplicateWindow < TimeSpan.Zero)
        {
            yield return "Notifications:QueueCapacity, MaxConcurrentIncidents and MaxTokensListed must be at least 1, DuplicateWindow not negative.";
        }
    }
}

public sealed class TeamsNotificationOptions
{
    /// <summary>A Teams Workflows ("Post to a channel when a webhook request is received") or incoming-webhook URL.</summary>
    public Uri? WebhookUrl { get; set; }
}

public sealed class SlackNotificationOptions
{
    /// <summary>A Slack incoming-webhook URL (<c>https://hooks.slack.com/services/…</c>).</summary>
    public Uri? WebhookUrl { get; set; }
}

public sealed class GenericNotificationOptions
{
    /// <summary>Any endpoint that accepts the <c>tokenfunctions.incident</c> JSON (PagerDuty/Opsgenie bridges, SOAR, …).</summary>
    public Uri? Url { get; set; }
}
