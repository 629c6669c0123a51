using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// One delivery working on one piece of incident work: the message, its durable progress (held under a lease), the
/// tokens the ledger already holds as finished, and the budget. Handlers change progress through it and checkpoint
/// after every batch, so whatever stops the delivery (budget, crash, lost lock) the next one resumes from the last batch.
/// </summary>
internal sealed class IncidentWork
{
    private readonly IIncidentProgressStore _store;
    private readonly IIncidentLedger _ledger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseLength;
    private readonly Dictionary<TokenId, string> _finished;

    public IncidentWork(
        IncidentMessage message,
        IncomingIncidentMessage delivery,
        IncidentProgress progress,
        string ledgerAction,
        IEnumerable<LedgerEntry> finished,
        IIncidentProgressStore store,
        IIncidentLedger ledger,
        TimeProvider time,
        IncidentsOptions options)
    {
        Message = message;
        Delivery = delivery;
        Progress = progress;
        LedgerAction = ledgerAction;
        _finished = [];
        foreach (var entry in finished)
        {
            _finished[entry.TokenId] = entry.Outcome;
        }

        _store = store;
        _ledger = ledger;
        _time = time;
        Options = options;
        _leaseLength = options.WorkBudgetPerDelivery + options.LeaseGrace;
        Budget = new WorkBudget(time, options.WorkBudgetPerDelivery);
    }

    public IncidentMessage Message { get; }

    public IncomingIncidentMessage Delivery { get; }

    public IncidentsOptions Options { get; }

    public string IncidentId => Message.IncidentId;

    public string LedgerAction { get; }

    public IncidentProgress Progress { get; private set; }

    public WorkBudget Budget { get; }

    /// <summary>True once this delivery finished a batch or moved a cursor.</summary>
    public bool MadeProgress { get; private set; }

    /// <summary>Stop when the budget is spent, but never before this delivery made some progress (or a tiny budget would loop).</summary>
    public bool ShouldStop => MadeProgress && Budget.IsSpent;

    public bool IsFinished(TokenId id) => _finished.ContainsKey(id);

    /// <summary>The outcome the ledger holds for a finished token (a <c>TokenOutcomeKind</c> name), or null.</summary>
    public string? FinishedOutcome(TokenId id) => _finished.GetValueOrDefault(id);

    public void MarkProgress() => MadeProgress = true;

    /// <summary>
    /// The start of the token-list actions (enable, rotate): the listed ids still to do, each once, without those the
    /// ledger holds as finished. A dry run stops here, logging what it would <paramref name="action"/>, and returns false.
    /// Otherwise the needs-human list starts empty: this delivery meets again every listed token that still needs a human.
    /// </summary>
    public bool TryStartTokenList(IReadOnlyList<string> tokenIds, string action, ILogger logger, out List<TokenId> pending)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        pending = tokenIds.Select(TokenId.Parse).Distinct().Where(id => !IsFinished(id)).ToList();
        if (Message.DryRun)
        {
            IncidentLog.DryRun(logger, IncidentId, action, string.Join(", ", pending));
            return false;
        }

        Update(p => p with { NeedsHuman = [], NeedsHumanCount = 0 });
        return true;
    }

    public void Update(Func<IncidentProgress, IncidentProgress> change) => Progress = change(Progress);

    /// <summary>A page re-read after a transient failure meets the same refused token again: it is listed once.</summary>
    public void AddNeedsHuman(string line)
    {
        if (Progress.NeedsHuman.Contains(line, StringComparer.Ordinal))
        {
            return;
        }

        Progress = Progress with
        {
            NeedsHuman = Progress.NeedsHuman.Count < IncidentProgress.MaxNeedsHumanEntries ? [.. Progress.NeedsHuman, line] : Progress.NeedsHuman,
            NeedsHumanCount = Progress.NeedsHumanCount + 1,
        };
    }

    public void CountSucceeded(int count) => Progress = Progress with { Succeeded = Progress.Succeeded + count };

    public void CountSettled(int count) => Progress = Progress with { Settled = Progress.Settled + count };

    /// <summary>Writes finished tokens to the ledger before progress mentions them, so a crash in between only repeats an upsert.</summary>
    public async Task RecordFinishedAsync(IReadOnlyList<(TokenId Id, string Outcome)> tokens, CancellationToken cancellationToken)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var entries = tokens.Select(t => new LedgerEntry(t.Id, t.Outcome, Delivery.MessageId, now)).ToList();
        await _ledger.RecordAsync(IncidentId, LedgerAction, entries, cancellationToken).ConfigureAwait(false);
        foreach (var (id, outcome) in tokens)
        {
            _finished[id] = outcome;
        }
    }

    /// <summary>Saves progress and renews the lease; false means another delivery took the work over.</summary>
    public async Task<bool> CheckpointAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var saved = await _store.TrySaveAsync(Progress with { LeaseUntil = now + _leaseLength, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            return false;
        }

        Progress = saved;
        return true;
    }
}
