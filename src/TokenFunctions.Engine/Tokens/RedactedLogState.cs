using System.Collections;
using System.Globalization;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// The state a <see cref="RedactingLogger"/> hands to the real providers instead of the caller's: the formatted message and
/// every structured value already redacted. Providers that export attributes (OpenTelemetry, Application Insights, JSON
/// console) read the key/value list; providers that print read <see cref="ToString"/> or the formatter; both are clean.
/// </summary>
public sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The formatter to pass along with this state: the pre-computed, redacted message.</summary>
    public static readonly Func<RedactedLogState, Exception?, string> Formatter = static (state, _) => state.Message;

    private const string OriginalFormatKey = "{OriginalFormat}";

    private readonly IReadOnlyList<KeyValuePair<string, object?>> _values;

    private RedactedLogState(string message, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        Message = message;
        _values = values;
    }

    public string Message { get; }

    public int Count => _values.Count;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    /// <summary>A log entry's state: <paramref name="redactedMessage"/> plus the caller's values with every secret masked.</summary>
    public static RedactedLogState ForEntry<TState>(TState state, string redactedMessage) => state switch
    {
        IReadOnlyList<KeyValuePair<string, object?>> list => new(redactedMessage, RedactValues(list)),
        IEnumerable<KeyValuePair<string, object?>> pairs => new(redactedMessage, RedactValues(pairs.ToList())),
        _ => new(redactedMessage, [new(OriginalFormatKey, redactedMessage)]),
    };

    /// <summary>A scope's state: strings are redacted, key/value scopes get redacted values, anything else keeps its type unless its text carries a secret.</summary>
    public static object ForScope<TState>(TState state)
        where TState : notnull => state switch
        {
            string text => Redaction.Redact(text) ?? string.Empty,
            IReadOnlyList<KeyValuePair<string, object?>> list => new RedactedLogState(RedactText(list.ToString()), RedactValues(list)),
            IEnumerable<KeyValuePair<string, object?>> pairs => new RedactedLogState(RedactText(pairs.ToString()), RedactValues(pairs.ToList())),
            _ => state.ToString() is { } text && Redaction.ContainsSecret(text) ? new RedactedLogState(RedactText(text), []) : state,
        };

    /// <summary>
    /// The same list when nothing in it can carry a secret (no copy on the common path), otherwise a redacted copy. A value
    /// whose key names a credential header (<c>Authorization</c>, cookies, signatures, API keys: how HttpClient's header
    /// logging hands headers over as structured state, raw) is replaced by <c>*</c>, whatever it holds.
    /// </summary>
    private static IReadOnlyList<KeyValuePair<string, object?>> RedactValues(IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        var clean = true;
        for (var i = 0; i < values.Count && clean; i++)
        {
            clean = !IsCredentialKey(values[i].Key) && values[i].Value switch
            {
                string s => !Redaction.ContainsSecret(s),
                var v => IsInherentlySafe(v),
            };
        }

        if (clean)
        {
            return values;
        }

        var copy = new KeyValuePair<string, object?>[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var (key, value) = values[i];
            copy[i] = new(key, IsCredentialKey(key) ? HiddenValue : IsInherentlySafe(value) ? value : RedactText(FormatValue(value)));
        }

        return copy;
    }

    private const string HiddenValue = "*";

    /// <summary>Header and field names whose value is a credential by definition.</summary>
    internal static bool IsCredentialKey(string? key) =>
        key is not null
        && (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
            || key.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
            || key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
            || key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
            || key.Contains("Signature", StringComparison.OrdinalIgnoreCase)
            || key.Contains("Api-Key", StringComparison.OrdinalIgnoreCase)
            || key.Contains("Api-Token", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("X-Gitlab-Token", StringComparison.OrdinalIgnoreCase));

    /// <summary>Values whose text cannot contain a token. Everything else is turned into redacted text, whatever its type.</summary>
    private static bool IsInherentlySafe(object? value) => value is null
        or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
        or Enum or DateTime or DateTimeOffset or DateOnly or TimeOnly or TimeSpan or Guid or TokenId;

    // Mirrors how Microsoft.Extensions.Logging formats a template argument, so the text reads the same.
    private static string FormatValue(object? value) => value switch
    {
        null => "(null)",
        string s => s,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(i => i is null ? "(null)" : Convert.ToString(i, CultureInfo.InvariantCulture))),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string RedactText(string? text) => Redaction.Redact(text) ?? string.Empty;
}
