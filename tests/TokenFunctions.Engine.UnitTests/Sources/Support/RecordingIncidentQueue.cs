using System.Text.Json;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Tests.Sources.Support;

public sealed class RecordingIncidentQueue : IIncidentQueue
{
    private readonly List<IncidentMessage> _messages = [];
    private readonly Lock _gate = new();

    public bool Fail { get; set; }

    public IReadOnlyList<IncidentMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IEnumerable<DisableMessage> Disables => Messages.OfType<DisableMessage>();

    /// <summary>The messages as they would travel (for "no secret in the payload" assertions).</summary>
    public string SerializedAll() => string.Join("\n", Messages.Select(m => JsonSerializer.Serialize(m, new JsonSerializerOptions(JsonSerializerDefaults.Web))));

    public Task EnqueueAsync(IncidentMessage message, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("queue down");
        }

        lock (_gate)
        {
            _messages.Add(message);
        }

        return Task.CompletedTask;
    }
}
