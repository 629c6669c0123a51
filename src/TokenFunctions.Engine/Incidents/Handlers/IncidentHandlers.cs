using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// The handler of each incident message type: the <see cref="IIncidentHandler"/> services
/// <see cref="IncidentsServiceCollectionExtensions.AddIncidents"/> registers, keyed by the message's type.
/// </summary>
public sealed class IncidentHandlers
{
    /// <summary>Every message type the queue's contract knows, each the key of one registered handler.</summary>
    internal static readonly IReadOnlyList<Type> MessageTypes = [typeof(DisableMessage), typeof(KillSwitchMessage), typeof(EnableMessage), typeof(RotateMessage)];

    private readonly IReadOnlyDictionary<Type, IIncidentHandler> _byMessageType;

    internal IncidentHandlers(IReadOnlyDictionary<Type, IIncidentHandler> byMessageType) => _byMessageType = byMessageType;

    internal IIncidentHandler For(IncidentMessage message) =>
        _byMessageType.TryGetValue(message.GetType(), out var handler)
            ? handler
            : throw new ArgumentOutOfRangeException(nameof(message), "Unknown incident message type.");
}
