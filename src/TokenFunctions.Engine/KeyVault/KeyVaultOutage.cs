using Azure;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// Tells a Key Vault outage (worth retrying later) from a refusal. An unreachable vault does not surface as one
/// <see cref="RequestFailedException"/>: after its retries the SDK throws an <see cref="AggregateException"/> of them, or
/// the transport's <see cref="HttpRequestException"/>, or a timeout; all of these are an outage.
/// </summary>
public static class KeyVaultOutage
{
    /// <param name="exception">What a vault call threw.</param>
    /// <param name="callerCancelled">The caller's own token fired: that is a cancellation, not an outage.</param>
    public static bool Is(Exception exception, bool callerCancelled = false) => exception switch
    {
        ManagedCredentialIndexUnavailableException => true,
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException => false,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => Is(e, callerCancelled)),
        OperationCanceledException => !callerCancelled,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
