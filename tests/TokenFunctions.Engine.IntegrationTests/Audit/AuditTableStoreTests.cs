using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Audit;
using static TokenFunctions.Engine.IntegrationTests.Audit.AuditData;

namespace TokenFunctions.Engine.IntegrationTests.Audit;

/// <summary>The audit table against the real Table Storage API (Azurite).</summary>
public sealed class AuditTableStoreTests(AzuriteTables azurite) : IClassFixture<AzuriteTables>
{
    private readonly FakeTimeProvider _time = new(Now);
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_three_questions_get_the_right_records_newest_first()
    {
        var store = azurite.NewStore(_time);
        var a1 = Record(TokenA, Now.AddHours(-2), "incident-1");
        var a2 = Record(TokenA, Now.AddMinutes(-90), "incident-1");
        var b1 = Record(TokenB, Now.AddHours(-1), "incident-1");
        var a3 = Record(TokenA, Now.AddMinutes(-10), "incident-1");
        var b2 = Record(TokenB, Now.AddMinutes(-5), "incident/2?x#y");
        var none = Record(null, Now.AddMinutes(-3), "incident/2?x#y", outcome: "SignatureInvalid");
        await store.WriteAsync([a1, a2, b1, a3, b2, none], Ct);

        var byToken = await store.QueryAsync(AuditQuery.ForToken(TokenA), Ct);
        Assert.Equal([a3, a2, a1], byToken.Entries.Select(e => e.Record));
        Assert.Null(byToken.Continuation);

        var byIncident = await store.QueryAsync(AuditQuery.ForIncident("incident-1"), Ct);
        Assert.Equal([a3, b1, a2, a1], byIncident.Entries.Select(e => e.Record));

        var byOddIncident = await store.QueryAsync(AuditQuery.ForIncident("incident/2?x#y"), Ct);
        Assert.Equal([none, b2], byOddIncident.Entries.Select(e => e.Record));

        // "The last hour": from is inclusive (b1 at exactly now-1h is in), and the range spans the 11h and 12h partitions.
        var lastHour = await store.QueryAsync(new AuditQuery { From = Now.AddHours(-1) }, Ct);
        Assert.Equal([none, b2, a3, b1], lastHour.Entries.Select(e => e.Record));

        var tokenInRange = await store.QueryAsync(AuditQuery.ForToken(TokenA) with { From = Now.AddMinutes(-100), To = Now.AddMinutes(-10) }, Ct);
        Assert.Equal([a2], tokenInRange.Entries.Select(e => e.Record));
    }

    [Fact]
    public async Task Range_bounds_are_exact_to_the_tick()
    {
        var store = azurite.NewStore(_time);
        var from = Now.AddMinutes(-40);
        var to = Now.AddMinutes(-20);
        var records = new[] { from.AddTicks(-1), from, to.AddTicks(-1), to }
            .Select((t, i) => Record(TokenA, t, "incident-bounds", detail: $"#{i}"))
            .ToArray();
        await store.WriteAsync(records, Ct);

        var page = await store.QueryAsync(AuditQuery.ForTimeRange(from, to), Ct);

        Assert.Equal(["#2", "#1"], page.Entries.Select(e => e.Record.Detail));
        Assert.Equal(to.AddTicks(-1), page.Entries[0].Record.Timestamp);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_gaps_or_repeats_within_and_across_partitions()
    {
        var store = azurite.NewStore(_time);
        var records = Enumerable.Range(0, 47)
            .Select(i => Record(i % 2 == 0 ? TokenA : TokenB, Now.AddMinutes(-7 * i - 1), "incident-pages", detail: $"#{i}"))
            .ToArray();
        await store.WriteAsync(records, Ct);

        var byTime = await ReadAllAsync(store, AuditQuery.ForTimeRange(Now.AddHours(-6), Now) with { Limit = 7 });
        Assert.Equal(records.Select(r => r.Detail), byTime.Select(e => e.Record.Detail));

        var byToken = await ReadAllAsync(store, AuditQuery.ForToken(TokenA) with { Limit = 5 });
        Assert.Equal(records.Where((_, i) => i % 2 == 0).Select(r => r.Detail), byToken.Select(e => e.Record.Detail));

        var exact = await store.QueryAsync(AuditQuery.ForIncident("incident-pages") with { Limit = 47 }, Ct);
        Assert.Equal(47, exact.Entries.Count);
        Assert.Null(exact.Continuation);
    }

    [Fact]
    public async Task Concurrent_writers_store_every_record_exactly_once()
    {
        const int writers = 8;
        const int perWriter = 200;
        var store = azurite.NewStore(_time);
        var shared = Token(999_999);

        // Every writer stamps the same instants, so row keys differ only by their content hash: the collision case.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(
            async () =>
            {
                var records = Enumerable.Range(0, perWriter)
                    .Select(i => Record(i % 2 == 0 ? shared : Token(w), Now.AddSeconds(-13 * i - 1), $"incident-w{w}", detail: $"w{w}-{i}"))
                    .ToList();
                var offset = 0;
                var size = 1;
                while (offset < records.Count)
                {
                    var batch = records.Skip(offset).Take(size).ToList();
                    await store.WriteAsync(batch, Ct);
                    offset += batch.Count;
                    size = size % 37 + 1;
                }
            },
            Ct)));

        var all = await ReadAllAsync(store, AuditQuery.ForTimeRange(Now.AddHours(-2), Now) with { Limit = 1000 });
        Assert.Equal(writers * perWriter, all.Count);
        Assert.Equal(writers * perWriter, all.Select(e => e.Record.Detail).Distinct().Count());
        Assert.Equal(writers * perWriter, all.Select(e => e.RecordId).Distinct().Count());
        AssertNewestFirst(all);

        var sharedToken = await ReadAllAsync(store, AuditQuery.ForToken(shared) with { Limit = 1000 });
        Assert.Equal(writers * perWriter / 2, sharedToken.Count);
        AssertNewestFirst(sharedToken);

        var writer3Token = await ReadAllAsync(store, AuditQuery.ForToken(Token(3)));
        Assert.Equal(perWriter / 2, writer3Token.Count);
        Assert.All(writer3Token, e => Assert.StartsWith("w3-", e.Record.Detail, StringComparison.Ordinal));

        var writer5Incident = await ReadAllAsync(store, AuditQuery.ForIncident("incident-w5"));
        Assert.Equal(Enumerable.Range(0, perWriter).Select(i => $"w5-{i}"), writer5Incident.Select(e => e.Record.Detail));

        // Three index rows per record, no more: nothing was written twice.
        Assert.Equal(writers * perWriter * 3, (await azurite.RawAsync(store)).Count);
    }

    [Fact]
    public async Task Writing_the_same_records_again_is_a_no_op()
    {
        var store = azurite.NewStore(_time);
        var first = Enumerable.Range(0, 30).Select(i => Record(TokenA, Now.AddSeconds(-i - 1), "incident-retry", detail: $"#{i}")).ToList();
        var more = Enumerable.Range(30, 10).Select(i => Record(TokenA, Now.AddSeconds(-i - 1), "incident-retry", detail: $"#{i}")).ToList();

        await store.WriteAsync(first, Ct);
        await store.WriteAsync(first, Ct);

        // A retry that overlaps what already landed (a transaction with an existing row fails as a whole).
        await store.WriteAsync([.. first.Take(5), .. more], Ct);

        // Identical records in one call are one row.
        await store.WriteAsync([more[0], more[0]], Ct);

        var page = await store.QueryAsync(AuditQuery.ForIncident("incident-retry"), Ct);
        Assert.Equal(40, page.Entries.Count);
        Assert.Equal(40 * 3, (await azurite.RawAsync(store)).Count);
    }

    [Fact]
    public async Task Nothing_stored_can_contain_a_secret()
    {
        var store = azurite.NewStore(_time);
        var record = Record(TokenA, Now.AddMinutes(-1), "incident-secret " + Secret, detail: "Dynatrace rejected " + Secret) with
        {
            RequestedBy = Secret,
            BlastRadius = new BlastRadius(Secret, [Secret, "metrics.read"], Now, Secret, Secret),
        };

        await store.WriteAsync([record], Ct);

        var raw = await azurite.RawAsync(store);
        Assert.Equal(3, raw.Count);
        foreach (var entity in raw)
        {
            Assert.DoesNotContain(SecretPart, entity.PartitionKey, StringComparison.Ordinal);
            Assert.All(((IDictionary<string, object>)entity).Values.OfType<string>(), v => Assert.DoesNotContain(SecretPart, v, StringComparison.Ordinal));
        }

        var back = Assert.Single((await store.QueryAsync(AuditQuery.ForToken(TokenA), Ct)).Entries).Record;
        Assert.Equal("Dynatrace rejected dt0c01.ST2EY72KQINMH574WMNVI7YN.***", back.Detail);
        Assert.Equal(["dt0c01.ST2EY72KQINMH574WMNVI7YN.***", "metrics.read"], back.BlastRadius!.Scopes);
    }

    [Fact]
    public async Task Entities_carry_readable_columns_for_people_browsing_the_table()
    {
        var store = azurite.NewStore(_time);
        await store.WriteAsync([Record(TokenB, Now.AddMinutes(-1), "incident-columns")], Ct);

        var entity = (await azurite.RawAsync(store)).First(e => e.PartitionKey.StartsWith("tok|", StringComparison.Ordinal));

        Assert.Equal("tok|dt0s16.TYUHJKNM", entity.PartitionKey);
        Assert.Equal("dt0s16.TYUHJKNM", entity.GetString("TokenId"));
        Assert.Equal("PlatformToken", entity.GetString("TokenKind"));
        Assert.Equal(Now.AddMinutes(-1), entity.GetDateTimeOffset("OccurredAt"));
        Assert.Equal(1, entity.GetInt32("SchemaVersion"));
    }

    [Fact]
    public async Task A_table_that_does_not_exist_yet_reads_as_an_empty_trail()
    {
        var options = azurite.Options();
        options.CreateTableIfNotExists = false;
        var store = azurite.NewStore(_time, options);

        var page = await store.QueryAsync(AuditQuery.ForToken(TokenA), Ct);

        Assert.Empty(page.Entries);
        Assert.Null(page.Continuation);
    }

    private async Task<List<AuditEntry>> ReadAllAsync(AuditTableStore store, AuditQuery query)
    {
        var all = new List<AuditEntry>();
        var next = query;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await store.QueryAsync(next, Ct);
            Assert.True(page.Entries.Count <= (query.Limit ?? 100));
            all.AddRange(page.Entries);
            if (page.Continuation is null)
            {
                return all;
            }

            Assert.NotEmpty(page.Entries);
            next = query with { Continuation = page.Continuation };
        }

        throw new InvalidOperationException("Pagination did not end.");
    }

    private static void AssertNewestFirst(List<AuditEntry> entries)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.True(entries[i - 1].Record.Timestamp >= entries[i].Record.Timestamp, $"Entry {i} is newer than entry {i - 1}.");
            Assert.True(string.CompareOrdinal(entries[i - 1].RecordId, entries[i].RecordId) < 0 || entries[i - 1].Record.Timestamp > entries[i].Record.Timestamp);
        }
    }
}
