using System.Text;

namespace TokenFunctions.Engine.Sources;

/// <summary>
/// One configured secret with an optional previous value, so a webhook secret can be rotated at the sender without a
/// window of rejected deliveries: both values verify until the previous one is removed.
/// </summary>
public sealed class WebhookSecret
{
    private readonly string[] _values;

    public WebhookSecret(string current, string? previous = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(current);
        _values = string.IsNullOrEmpty(previous) ? [current] : [current, previous];
    }

    /// <summary>The current value. Never log it.</summary>
    public string Current => _values[0];

    /// <summary>Current first, then previous.</summary>
    public IReadOnlyList<string> Values => _values;

    public byte[][] Utf8Values() => Array.ConvertAll(_values, Encoding.UTF8.GetBytes);

    public override string ToString() => $"webhook-secret({_values.Length} value(s))";
}
