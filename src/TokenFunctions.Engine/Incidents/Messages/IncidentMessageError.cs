namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>Why a message was refused: a <see cref="DeadLetterReasons"/> code and a human-actionable, secret-free description.</summary>
public sealed record IncidentMessageError(string Reason, string Description)
{
    public override string ToString() => $"{Reason}: {Description}";
}
