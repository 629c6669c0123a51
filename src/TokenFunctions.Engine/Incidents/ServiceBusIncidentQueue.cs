using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// <see cref="IIncidentQueue"/> over Service Bus: serializes with <see cref="IncidentMessageSerializer"/> and hands the
/// bytes to <see cref="IIncidentMessageSender"/>. Token lists larger than one message allows (by count or by bytes) are
/// split into several messages with the same incident id, so the ledger still treats them as one incident.
/// </summary>
public sealed class ServiceBusIncidentQueue : IIncidentQueue
{
    private readonly IncidentMessageSerializer _serializer;
    private readonly IIncidentMessageSender _sender;
    private readonly IOptionsMonitor<IncidentsOptions> _options;

    public ServiceBusIncidentQueue(IncidentMessageSerializer serializer, IIncidentMessageSender sender, IOptionsMonitor<IncidentsOptions> options)
    {
        _serializer = serializer;
        _sender = sender;
        _options = options;
    }

    public async Task EnqueueAsync(IncidentMessage message, CancellationToken cancellationToken)
    {
        foreach (var outgoing in Prepare(message))
        {
            await _sender.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The messages <see cref="EnqueueAsync"/> sends, in order.</summary>
    public IReadOnlyList<OutgoingIncidentMessage> Prepare(IncidentMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var options = _options.CurrentValue;
        var result = new List<OutgoingIncidentMessage>();
        foreach (var part in SplitByCount(message, options.MaxTokensPerMessage))
        {
            AddWithinSize(part, options.MaxMessageBytes, result);
        }

        return result;
    }

    private void AddWithinSize(IncidentMessage message, int maxBytes, List<OutgoingIncidentMessage> result)
    {
        var outgoing = _serializer.Serialize(message);
        var tokens = Tokens(message);
        if (outgoing.Body.Length <= maxBytes || tokens.Count <= 1)
        {
            result.Add(outgoing);
            return;
        }

        var half = tokens.Count / 2;
        AddWithinSize(WithTokens(message, [.. tokens.Take(half)]), maxBytes, result);
        AddWithinSize(WithTokens(message, [.. tokens.Skip(half)]), maxBytes, result);
    }

    private static IEnumerable<IncidentMessage> SplitByCount(IncidentMessage message, int max)
    {
        var tokens = Tokens(message);
        if (tokens.Count <= max)
        {
            yield return message;
            yield break;
        }

        foreach (var chunk in tokens.Chunk(max))
        {
            yield return WithTokens(message, chunk);
        }
    }

    private static IReadOnlyList<string> Tokens(IncidentMessage message) => message switch
    {
        DisableMessage d => d.Tokens ?? [],
        RotateMessage r => r.TokenIds ?? [],
        EnableMessage e => e.TokenIds ?? [],
        _ => [],
    };

    private static IncidentMessage WithTokens(IncidentMessage message, IReadOnlyList<string> tokens) => message switch
    {
        DisableMessage d => d with { Tokens = tokens },
        RotateMessage r => r with { TokenIds = tokens },
        EnableMessage e => e with { TokenIds = tokens },
        _ => message,
    };
}
