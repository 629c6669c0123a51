using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IIncidentMessageSender"/> fake: records every message sent (<see cref="Sent"/>). <see cref="Failure"/>
/// makes every send throw (Service Bus down for senders); <see cref="OnSent"/> runs after a message is recorded (e.g. a
/// broker simulation queues it for delivery).
/// </summary>
public sealed class RecordingIncidentMessageSender : IIncidentMessageSender
{
    private readonly List<OutgoingIncidentMessage> _sent = [];
    private readonly Lock _gate = new();

    /// <summary>When set, every send throws this and nothing is recorded.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Called with each message once it is recorded.</summary>
    public Action<OutgoingIncidentMessage>? OnSent { get; set; }

    public IReadOnlyList<OutgoingIncidentMessage> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        lock (_gate)
        {
            _sent.Add(message);
        }

        OnSent?.Invoke(message);
        return Task.CompletedTask;
    }
}
