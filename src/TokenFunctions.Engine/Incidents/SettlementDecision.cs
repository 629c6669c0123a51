namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// What the Service Bus adapter does with a delivery. The adapter maps each case to one
/// <c>ServiceBusMessageActions</c> call and decides nothing itself.
/// </summary>
public abstract record SettlementDecision
{
    private SettlementDecision()
    {
    }

    /// <summary>A short, secret-free line for the adapter's log.</summary>
    public abstract string Summary { get; }

    /// <summary><c>CompleteMessageAsync(message)</c>: done, or a duplicate of finished work.</summary>
    public sealed record Complete(string Summary) : SettlementDecision
    {
        public override string Summary { get; } = Summary;
    }

    /// <summary>
    /// <c>AbandonMessageAsync(message, propertiesToModify)</c>: transient failure or work budget spent. Progress is durable,
    /// so the redelivery continues where this one stopped; the properties only make that progress visible in the queue.
    /// </summary>
    public sealed record Abandon(IReadOnlyDictionary<string, object> PropertiesToModify, string Summary) : SettlementDecision
    {
        public override string Summary { get; } = Summary;
    }

    /// <summary>
    /// <c>DeadLetterMessageAsync(message, new Dictionary&lt;string, object&gt;(PropertiesToModify), Reason, Description)</c>.
    /// <see cref="Reason"/> is one of <see cref="DeadLetterReasons"/>; <see cref="Description"/> says what a human should do
    /// and holds token ids only, never a secret or the body.
    /// </summary>
    public sealed record DeadLetter(string Reason, string Description, IReadOnlyDictionary<string, object> PropertiesToModify) : SettlementDecision
    {
        /// <summary>Service Bus keeps dead-letter descriptions short; longer lists are cut with a count of what was left out.</summary>
        public const int MaxDescriptionLength = 4000;

        public override string Summary => $"{Reason}: {Description}";
    }
}
