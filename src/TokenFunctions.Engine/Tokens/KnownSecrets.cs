using System.Buffers;
using Microsoft.Extensions.Configuration;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// The credentials this process holds that have no recognisable shape of their own (webhook secrets, a GitHub token or App
/// installation token, an OAuth client secret and the SSO bearers it buys, notification webhook URLs, storage keys):
/// each is registered when it is read or issued, and <see cref="Redaction"/> masks every registered value wherever it
/// appears. Process-wide because redaction is: a log line, an exception, an audit text or CLI output all pass through the
/// same masks. Values shorter than <see cref="MinLength"/> are not registered (they would mask ordinary words); the most
/// recent <see cref="Capacity"/> values are kept, so short-lived bearers do not accumulate.
/// </summary>
public static class KnownSecrets
{
    public const int MinLength = 8;

    public const int Capacity = 512;

    private static readonly Lock Gate = new();
    private static readonly LinkedList<string> Order = new();
    private static readonly HashSet<string> Set = new(StringComparer.Ordinal);
    private static volatile Snapshot s_current = new([], SearchValues.Create([], StringComparison.Ordinal));

    /// <summary>Registers <paramref name="value"/> (and its trimmed form) to be masked from now on. Cheap when already known.</summary>
    public static void Register(string? value)
    {
        if (value is null)
        {
            return;
        }

        var trimmed = value.Trim();
        if (trimmed.Length < MinLength || s_current.Contains(trimmed))
        {
            return;
        }

        lock (Gate)
        {
            if (!Set.Add(trimmed))
            {
                return;
            }

            Order.AddLast(trimmed);
            while (Order.Count > Capacity)
            {
                Set.Remove(Order.First!.Value);
                Order.RemoveFirst();
            }

            string[] values = [.. Order];
            s_current = new Snapshot(values, SearchValues.Create(values, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Registers every configured value whose key names a credential (<c>…Secret</c>, <c>…Token</c>, <c>…Password</c>,
    /// <c>…PrivateKey</c>, <c>…Key</c>, <c>…WebhookUrl</c>, <c>Notifications:…:Url</c>) and the account keys and shared
    /// access signatures inside every connection string (<c>…ConnectionString</c>, <c>…Connection</c>,
    /// <c>AzureWebJobsStorage</c>). Key Vault <em>names</em> (<c>…SecretName</c>) and URIs of services are not secrets.
    /// </summary>
    public static void RegisterFromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var name = key[(key.LastIndexOf(':') + 1)..];
            if (IsConnectionString(key, name))
            {
                foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var equals = part.IndexOf('=', StringComparison.Ordinal);
                    if (equals > 0 && IsKeyPart(part[..equals]))
                    {
                        Register(part[(equals + 1)..]);
                    }
                }
            }
            else if (IsCredentialName(key, name))
            {
                Register(value);
            }
        }
    }

    internal static Snapshot Current => s_current;

    private static bool IsConnectionString(string key, string name) =>
        name.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Connection", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase) && !key.Contains(':', StringComparison.Ordinal);

    private static bool IsKeyPart(string part) =>
        part.Trim() is var p && (p.Equals("AccountKey", StringComparison.OrdinalIgnoreCase)
            || p.Equals("SharedAccessKey", StringComparison.OrdinalIgnoreCase)
            || p.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase));

    private static bool IsCredentialName(string key, string name) =>
        !name.EndsWith("SecretName", StringComparison.OrdinalIgnoreCase) && !name.EndsWith("Uri", StringComparison.OrdinalIgnoreCase)
        && (name.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("SecretPrevious", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Token", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("TokenPrevious", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Password", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Key", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("KeyPrevious", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("WebhookUrl", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Credential", StringComparison.OrdinalIgnoreCase)
            || (key.StartsWith("Notifications:", StringComparison.OrdinalIgnoreCase) && name.Equals("Url", StringComparison.OrdinalIgnoreCase)));

    internal sealed record Snapshot(string[] Values, SearchValues<string> Search)
    {
        public bool Contains(string value) => Values.Length > 0 && Array.IndexOf(Values, value) >= 0;

        /// <summary>The longest registered value starting at <paramref name="at"/>, or 0.</summary>
        public int MatchAt(ReadOnlySpan<char> text, int at)
        {
            var best = 0;
            foreach (var value in Values)
            {
                if (value.Length > best && text[at..].StartsWith(value, StringComparison.Ordinal))
                {
                    best = value.Length;
                }
            }

            return best;
        }
    }
}
