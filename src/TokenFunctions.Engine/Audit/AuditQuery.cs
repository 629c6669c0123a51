using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// One audit question: everything about a token, or about an incident, or in a time range. A token or incident query may
/// be narrowed to a time range too. Results are newest first; <see cref="Continuation"/> resumes after the last page.
/// </summary>
public sealed record AuditQuery
{
    public TokenId? TokenId { get; init; }

    public string? IncidentId { get; init; }

    /// <summary>Inclusive lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound; a pure time query without it ends now.</summary>
    public DateTimeOffset? To { get; init; }

    public int? Limit { get; init; }

    /// <summary>Opaque token from the previous <see cref="AuditPage"/>.</summary>
    public string? Continuation { get; init; }

    public static AuditQuery ForToken(TokenId tokenId) => new() { TokenId = tokenId };

    public static AuditQuery ForTimeRange(DateTimeOffset from, DateTimeOffset to) => new() { From = from, To = to };

    /// <summary>What is wrong with the query, or null. Messages never echo the caller's values.</summary>
    public string? Validate(AuditOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (TokenId is not null && IncidentId is not null)
        {
            return "Ask for a tokenId or an incidentId, not both.";
        }

        if (IncidentId is not null && (IncidentId.Length == 0 || IncidentId.Length > 512))
        {
            return "incidentId must be 1 to 512 characters.";
        }

        if (TokenId is null && IncidentId is null && From is null)
        {
            return "Give tokenId, incidentId, or a time range (from, optional to).";
        }

        if (Limit is { } limit && (limit < 1 || limit > options.MaxQueryLimit))
        {
            return $"limit must be between 1 and {options.MaxQueryLimit}.";
        }

        var (from, to) = Range(now);
        if (from >= to)
        {
            return "from must be earlier than to.";
        }

        if (TokenId is null && IncidentId is null && to - from > options.MaxQueryRange)
        {
            return $"The time range may span at most {options.MaxQueryRange.TotalHours:0} hours; narrow it or ask by tokenId or incidentId.";
        }

        if (Continuation is not null
            && (!AuditContinuation.TryParse(Continuation, out var continuation) || !IsOwnPartition(continuation.PartitionKey, now)))
        {
            return "continuation is not one this service issued for this query.";
        }

        return null;
    }

    /// <summary>The partitions to read, newest first: one for a token or incident, one per UTC hour for a time range.</summary>
    internal IReadOnlyList<string> Partitions(DateTimeOffset now)
    {
        if (TokenId is { } tokenId)
        {
            return [AuditKeys.TokenPartition(tokenId)];
        }

        if (IncidentId is not null)
        {
            return [AuditKeys.IncidentPartition(IncidentId)];
        }

        var (from, to) = Range(now);
        var partitions = new List<string>();
        for (var hour = AuditKeys.HourFloor(to.AddTicks(-1)); hour >= AuditKeys.HourFloor(from); hour = hour.AddHours(-1))
        {
            partitions.Add(AuditKeys.TimePartition(hour));
        }

        return partitions;
    }

    private bool IsOwnPartition(string partitionKey, DateTimeOffset now)
    {
        if (TokenId is not null || IncidentId is not null)
        {
            return partitionKey == Partitions(now)[0];
        }

        var (from, to) = Range(now);
        return AuditKeys.TryParseTimePartition(partitionKey, out var hour)
            && hour >= AuditKeys.HourFloor(from) && hour <= AuditKeys.HourFloor(to.AddTicks(-1));
    }

    /// <summary>The effective <c>[from, to)</c>: open ends become the earliest instant and now.</summary>
    internal (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset now) =>
        (From ?? DateTimeOffset.MinValue, To ?? (From is null ? DateTimeOffset.MaxValue : now));
}
