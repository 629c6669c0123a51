using TokenFunctions.Engine.Audit;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditQueryTests
{
    private static readonly AuditOptions Options = new() { ConnectionString = "UseDevelopmentStorage=true", MaxQueryRange = TimeSpan.FromDays(1), MaxQueryLimit = 500 };
    private static readonly DateTimeOffset Now = T0;

    [Fact]
    public void Valid_queries_pass()
    {
        Assert.Null(AuditQuery.ForToken(TokenA).Validate(Options, Now));
        Assert.Null(AuditQuery.ForIncident("incident-1").Validate(Options, Now));
        Assert.Null(AuditQuery.ForTimeRange(Now.AddHours(-1), Now).Validate(Options, Now));
        Assert.Null(new AuditQuery { From = Now.AddHours(-1) }.Validate(Options, Now));
        Assert.Null((AuditQuery.ForToken(TokenA) with { From = Now.AddDays(-30), Limit = 500 }).Validate(Options, Now));
    }

    [Fact]
    public void Invalid_queries_say_why()
    {
        Assert.Contains("not both", new AuditQuery { TokenId = TokenA, IncidentId = "x" }.Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("Give tokenId", new AuditQuery().Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("Give tokenId", new AuditQuery { To = Now }.Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("earlier", AuditQuery.ForTimeRange(Now, Now.AddHours(-1)).Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("earlier", AuditQuery.ForTimeRange(Now, Now).Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("at most 24 hours", AuditQuery.ForTimeRange(Now.AddDays(-2), Now).Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("limit", (AuditQuery.ForToken(TokenA) with { Limit = 0 }).Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("limit", (AuditQuery.ForToken(TokenA) with { Limit = 501 }).Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("incidentId", AuditQuery.ForIncident(new string('x', 513)).Validate(Options, Now), StringComparison.Ordinal);
        Assert.Contains("continuation", (AuditQuery.ForToken(TokenA) with { Continuation = "garbage" }).Validate(Options, Now), StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_range_reads_every_hour_it_touches_newest_first()
    {
        var query = AuditQuery.ForTimeRange(new DateTimeOffset(2026, 9, 1, 9, 59, 0, TimeSpan.Zero), new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));

        // 12:00 is excluded, so the 12h partition is not read; 09:59 is included, so 09h is.
        Assert.Equal(["t|2026090111", "t|2026090110", "t|2026090109"], query.Partitions(Now));
    }

    [Fact]
    public void An_open_ended_range_ends_now()
    {
        var query = new AuditQuery { From = Now.AddMinutes(-90) };
        Assert.Equal(["t|2026090112", "t|2026090111"], query.Partitions(Now));
    }

    [Fact]
    public void A_continuation_only_fits_the_query_it_came_from()
    {
        var rowKey = AuditKeys.RowKey(T0, "0123456789abcdef0123456789abcdef");
        var forTokenA = new AuditContinuation(AuditKeys.TokenPartition(TokenA), rowKey).Encode();
        var forHour = new AuditContinuation("t|2026090111", rowKey).Encode();
        var forOldHour = new AuditContinuation("t|2026080111", rowKey).Encode();

        Assert.Null((AuditQuery.ForToken(TokenA) with { Continuation = forTokenA }).Validate(Options, Now));
        Assert.NotNull((AuditQuery.ForToken(TokenB) with { Continuation = forTokenA }).Validate(Options, Now));
        Assert.NotNull((AuditQuery.ForIncident("i") with { Continuation = forHour }).Validate(Options, Now));
        Assert.Null((AuditQuery.ForTimeRange(Now.AddHours(-3), Now) with { Continuation = forHour }).Validate(Options, Now));
        Assert.NotNull((AuditQuery.ForTimeRange(Now.AddHours(-3), Now) with { Continuation = forOldHour }).Validate(Options, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("YTEKdG9rfGR0MGMwMQ")]
    [InlineData("eDEKcAo5OTk")]
    public void Tampered_continuations_are_rejected(string value) => Assert.False(AuditContinuation.TryParse(value, out _));

    [Fact]
    public void Continuations_round_trip()
    {
        var rowKey = AuditKeys.RowKey(T0, "0123456789abcdef0123456789abcdef");
        var original = new AuditContinuation("inc|a%2Fb", rowKey);

        Assert.True(AuditContinuation.TryParse(original.Encode(), out var parsed));
        Assert.Equal(original, parsed);
        Assert.DoesNotContain('+', original.Encode());
        Assert.DoesNotContain('/', original.Encode());
    }
}
