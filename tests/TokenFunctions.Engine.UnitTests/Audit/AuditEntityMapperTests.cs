using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditEntityMapperTests
{
    [Fact]
    public void A_record_about_a_token_is_indexed_three_times_under_one_row_key()
    {
        var entities = AuditEntityMapper.ToEntities(Record(TokenA, correlationId: "inc/7")).ToList();

        Assert.Equal(["tok|dt0c01.ST2EY72KQINMH574WMNVI7YN", "t|2026090112", "inc|inc%2F7"], entities.Select(e => e.PartitionKey));
        Assert.Single(entities.Select(e => e.RowKey).Distinct());
    }

    [Fact]
    public void A_record_without_a_token_is_indexed_by_time_and_incident_only()
    {
        var entities = AuditEntityMapper.ToEntities(Record(token: null)).ToList();
        Assert.Equal(["t|2026090112", "inc|incident-1"], entities.Select(e => e.PartitionKey));
    }

    [Fact]
    public void Every_field_survives_the_round_trip()
    {
        var record = new AuditRecord
        {
            Timestamp = T0.AddTicks(1234567),
            Source = "queue",
            CorrelationId = "incident-9",
            Action = "rotate",
            Outcome = "Disabled",
            TokenId = TokenB,
            TokenKind = TokenKind.PlatformToken,
            Fingerprint = new string('a', 64),
            Owner = "account-prod",
            Latency = TimeSpan.FromTicks(98765),
            RequestedBy = "alice@example.com",
            DryRun = true,
            Detail = "detail",
            BlastRadius = new BlastRadius("2b5c7b4f-uuid", ["account-idm-read", "storage:logs:read"], T0.AddDays(-1), "10.1.2.3", "ci token"),
        };
        var entity = AuditEntityMapper.ToEntities(record).First();

        var back = AuditEntityMapper.FromEntity(entity);

        Assert.Equal(entity.RowKey, back.RecordId);
        Assert.Equal(record with { BlastRadius = null }, back.Record with { BlastRadius = null });
        Assert.Equal(record.BlastRadius!.Scopes, back.Record.BlastRadius!.Scopes);
        Assert.Equal(record.BlastRadius with { Scopes = [] }, back.Record.BlastRadius with { Scopes = [] });
    }

    [Fact]
    public void Stored_text_is_redacted_again_and_bounded()
    {
        // A record built before redaction-on-init (or deserialized from elsewhere) still cannot reach the table with a secret.
        var record = Record(TokenA, detail: new string('x', 20_000) + Secret);
        var entity = AuditEntityMapper.ToEntity(record, "p", "r");

        var detail = entity.GetString("Detail");
        Assert.Equal(AuditEntityMapper.MaxDetailLength, detail.Length);
        Assert.EndsWith("…", detail, StringComparison.Ordinal);
        Assert.All(((IDictionary<string, object>)entity).Values.OfType<string>(), v => Assert.DoesNotContain(SecretPart, v, StringComparison.Ordinal));
    }
}
