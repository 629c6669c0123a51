using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// Remembers what was announced recently so a redelivered alert (same incident, same outcomes) does not post the same
/// message again. Per process and bounded: a duplicate across instances is possible, a missed incident is not.
/// </summary>
public sealed class IncidentDeduplicator
{
    private const int MaxEntries = 10_000;

    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _order = new();
    private readonly Lock _lock = new();

    public IncidentDeduplicator(TimeSpan window, TimeProvider timeProvider)
    {
        _window = window;
        _timeProvider = timeProvider;
    }

    /// <summary>True the first time an incident with these outcomes is seen within the window.</summary>
    public bool IsNew(IncidentSummary summary)
    {
        if (_window <= TimeSpan.Zero)
        {
            return true;
        }

        var key = KeyOf(summary);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            while (_order.Count > 0 && (_order.Count > MaxEntries || now - _order.Peek().At >= _window))
            {
                var (oldKey, at) = _order.Dequeue();
                if (_seen.TryGetValue(oldKey, out var current) && current == at)
                {
                    _seen.Remove(oldKey);
                }
            }

            if (_seen.TryGetValue(key, out var seenAt) && now - seenAt < _window)
            {
                return false;
            }

            _seen[key] = now;
            _order.Enqueue((key, now));
            return true;
        }
    }

    private static string KeyOf(IncidentSummary summary)
    {
        var outcomes = string.Join('\n', summary.Tokens.Select(t => $"{t.TokenId.Value}:{t.Outcome}:{t.ReplacementLocation}:{t.Evidence is not null}").Order(StringComparer.Ordinal));
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(outcomes + "\n" + summary.DryRun));
        return summary.CorrelationId + "|" + Convert.ToHexString(digest, 0, 16);
    }
}
