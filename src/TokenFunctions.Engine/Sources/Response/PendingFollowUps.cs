using System.Threading.Channels;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// The follow-ups the incident queue did not take yet, waiting for <see cref="FollowUpRetryService"/>. Bounded; apart from
/// <see cref="FollowUpHandOff"/> so the retry service can wait on it without needing the queue (a host with no queue, the
/// CLI, never has anything here).
/// </summary>
public sealed class PendingFollowUps
{
    /// <summary>Follow-ups that may wait at once; beyond it a follow-up is logged for a human instead.</summary>
    public const int Capacity = 1000;

    private readonly Channel<PendingFollowUp> _channel = Channel.CreateBounded<PendingFollowUp>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    public int Count => _channel.Reader.Count;

    internal ChannelReader<PendingFollowUp> Reader => _channel.Reader;

    internal bool TryAdd(PendingFollowUp pending) => _channel.Writer.TryWrite(pending);
}

/// <summary>One follow-up message of one delivery.</summary>
public sealed record PendingFollowUp(string Source, string CorrelationId, IncidentMessage Message);
