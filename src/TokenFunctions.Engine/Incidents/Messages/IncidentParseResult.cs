using System.Diagnostics.CodeAnalysis;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>A parsed and validated incident message, or why the body was refused.</summary>
public sealed record IncidentParseResult
{
    private IncidentParseResult(IncidentMessage? message, IncidentMessageError? error)
    {
        Message = message;
        Error = error;
    }

    public IncidentMessage? Message { get; }

    public IncidentMessageError? Error { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Message is not null;

    public static IncidentParseResult Valid(IncidentMessage message) => new(message, null);

    public static IncidentParseResult Invalid(string reason, string description) => new(null, new IncidentMessageError(reason, description));

    public static IncidentParseResult Invalid(IncidentMessageError error) => new(null, error);
}
