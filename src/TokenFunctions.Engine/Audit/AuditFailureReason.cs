using Azure;

namespace TokenFunctions.Engine.Audit;

/// <summary>Low-cardinality reasons for <c>tokenfunctions.audit.failures</c>.</summary>
public static class AuditFailureReason
{
    public const string Timeout = "timeout";
    public const string Cancelled = "cancelled";
    public const string Throttled = "throttled";
    public const string Unavailable = "unavailable";
    public const string Unauthorized = "unauthorized";
    public const string Rejected = "rejected";
    public const string Error = "error";

    /// <summary>The retry buffer was full: the record remains only in the fallback log line.</summary>
    public const string Dropped = "dropped";

    /// <summary>The host stopped with records still waiting in the retry buffer.</summary>
    public const string Shutdown = "shutdown";

    public static string Of(Exception exception) => exception switch
    {
        RequestFailedException { Status: 429 } => Throttled,
        RequestFailedException { Status: 401 or 403 } => Unauthorized,
        RequestFailedException { Status: 0 or 408 or >= 500 } => Unavailable,
        RequestFailedException => Rejected,
        OperationCanceledException => Timeout,
        HttpRequestException or IOException => Unavailable,
        _ => Error,
    };

    /// <summary>Worth retrying: everything except a request the service refused as invalid.</summary>
    public static bool IsTransient(Exception exception) => Of(exception) != Rejected;
}
