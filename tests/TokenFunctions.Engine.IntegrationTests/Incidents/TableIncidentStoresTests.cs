using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

public sealed class TableIncidentStoresTests(AzuriteTables azurite) : IClassFixture<AzuriteTables>
{
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TableIncidentLedger _ledger = new(azurite.Tables);
    private readonly TableIncidentProgressStore _progress = new(azurite.Tables);

    private static string NewIncident() => "INC/" + Guid.NewGuid().ToString("N") + "#?%|\\x";

    [Fact]
    public async Task The_ledger_keeps_finished_tokens_per_incident_and_action_across_many_transactions()
    {
        var incident = NewIncident();
        var entries = Enumerable.Range(1, 250).Select(i => new LedgerEntry(TokenId.Parse(TestTokens.ClassicId(i)), "Disabled", "m1", Now)).ToList();

        await _ledger.RecordAsync(incident, LedgerActions.Disable, entries, CancellationToken.None);
        await _ledger.RecordAsync(incident, LedgerActions.Disable, [entries[0] with { Outcome = "AlreadyDisabled", MessageId = "m2" }], CancellationToken.None);
        await _ledger.RecordAsync(incident, LedgerActions.Enable, [entries[1]], CancellationToken.None);

        var disabled = await _ledger.GetFinishedAsync(incident, LedgerActions.Disable, CancellationToken.None);
        var enabled = await _ledger.GetFinishedAsync(incident, LedgerActions.Enable, CancellationToken.None);
        var otherIncident = await _ledger.GetFinishedAsync(NewIncident(), LedgerActions.Disable, CancellationToken.None);

        Assert.Equal(250, disabled.Count);
        Assert.Equal(entries.Select(e => e.TokenId.Value).Order(), disabled.Select(e => e.TokenId.Value).Order());
        var first = disabled.Single(e => e.TokenId == entries[0].TokenId);
        Assert.Equal(("AlreadyDisabled", "m2", Now), (first.Outcome, first.MessageId, first.RecordedAt));
        Assert.Equal([entries[1].TokenId], enabled.Select(e => e.TokenId));
        Assert.Empty(otherIncident);
    }

    [Fact]
    public async Task Recording_the_same_token_twice_in_one_call_is_idempotent()
    {
        var incident = NewIncident();
        var id = TokenId.Parse(TestTokens.ClassicId(1));

        await _ledger.RecordAsync(incident, LedgerActions.Disable, [new(id, "Failed?", "m1", Now), new(id, "Disabled", "m1", Now)], CancellationToken.None);

        Assert.Equal("Disabled", Assert.Single(await _ledger.GetFinishedAsync(incident, LedgerActions.Disable, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Progress_round_trips_every_field_including_long_cursor_lists()
    {
        var incident = NewIncident();
        var cursors = Enumerable.Range(1, 120).Select(i => new TargetCursor
        {
            Source = $"environment:env{i}",
            PageKey = new string((char)('A' + (i % 26)), 400),
            PageNumber = i,
            Listed = i * 1000L,
            Finished = i % 2 == 0,
            Restarts = 1,
            Retry = i % 3 == 0 ? [TestTokens.ClassicId(i), TestTokens.ClassicId(i + 1000)] : [],
        }).ToList();
        var progress = new IncidentProgress
        {
            IncidentId = incident,
            WorkId = "0123456789abcdef0123456789abcdef",
            MessageType = "kill-switch",
            LeaseOwner = "message-1",
            LeaseUntil = Now.AddMinutes(5),
            Deliveries = 3,
            Succeeded = 9000,
            Settled = 12,
            NeedsHuman = ["dt0c01.X Denied in prod"],
            NeedsHumanCount = 1,
            Cursors = cursors,
            LastSettlement = "Abandon",
            CreatedAt = Now,
            UpdatedAt = Now.AddMinutes(1),
        };

        var saved = await _progress.TrySaveAsync(progress, CancellationToken.None);
        var read = await _progress.GetAsync(incident, progress.WorkId, CancellationToken.None);

        Assert.NotNull(saved?.Version);
        Assert.NotNull(read);
        Assert.Equal(saved.Version, read.Version);
        Assert.Equal(cursors.Select(c => c with { Retry = [] }), read.Cursors.Select(c => c with { Retry = [] }));
        Assert.Equal(cursors.Select(c => string.Join(',', c.Retry)), read.Cursors.Select(c => string.Join(',', c.Retry)));
        Assert.Equal(progress.NeedsHuman, read.NeedsHuman);
        Assert.Equal(
            progress with { Cursors = [], NeedsHuman = [], Version = null },
            read with { Cursors = [], NeedsHuman = [], Version = null });
    }

    [Fact]
    public async Task Saves_are_refused_when_someone_else_created_or_changed_the_record_first()
    {
        var progress = new IncidentProgress { IncidentId = NewIncident(), WorkId = "w1", MessageType = "disable", CreatedAt = Now, UpdatedAt = Now };

        var created = await _progress.TrySaveAsync(progress, CancellationToken.None);
        var secondCreate = await _progress.TrySaveAsync(progress, CancellationToken.None);
        var update = await _progress.TrySaveAsync(created! with { Deliveries = 2, LeaseOwner = null }, CancellationToken.None);
        var staleUpdate = await _progress.TrySaveAsync(created! with { Deliveries = 5 }, CancellationToken.None);

        Assert.NotNull(created);
        Assert.Null(secondCreate);
        Assert.NotNull(update);
        Assert.NotEqual(created.Version, update.Version);
        Assert.Null(staleUpdate);
        var stored = await _progress.GetAsync(progress.IncidentId, "w1", CancellationToken.None);
        Assert.Equal(2, stored!.Deliveries);
        Assert.Null(stored.LeaseOwner);
    }

    [Fact]
    public async Task Missing_records_read_as_null()
    {
        Assert.Null(await _progress.GetAsync(NewIncident(), "nothing", CancellationToken.None));
    }
}
