namespace TokenFunctions.Engine.Dynatrace.Credentials;

/// <summary>
/// A management credential could not be read. Thrown by <see cref="ICredentialProvider"/> implementations (whose contract
/// returns the text) and turned into a typed result by the clients: <see cref="IsTransient"/> → Transient, else
/// Unauthorized. The message names the reference, never a value.
/// </summary>
public sealed class ManagementCredentialUnavailableException : Exception
{
    public ManagementCredentialUnavailableException(CredentialReference reference, string reason, bool isTransient, Exception? inner = null)
        : base($"Credential {reference} is unavailable: {reason}", inner)
    {
        Reference = reference.ToString();
        IsTransient = isTransient;
    }

    public ManagementCredentialUnavailableException()
        : base("Credential unavailable.")
    {
        Reference = "(unknown)";
    }

    public ManagementCredentialUnavailableException(string message)
        : base(message)
    {
        Reference = "(unknown)";
    }

    public ManagementCredentialUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reference = "(unknown)";
    }

    public string Reference { get; }

    public bool IsTransient { get; }
}
