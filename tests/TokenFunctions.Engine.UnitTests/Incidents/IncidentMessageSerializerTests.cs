using System.Text;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;

namespace TokenFunctions.Engine.Incidents;

public sealed class IncidentMessageSerializerTests
{
    private readonly IncidentsOptions _options = new();

    private IncidentMessageSerializer Serializer => new(new StaticOptionsMonitor<IncidentsOptions>(_options));

    private IncidentMessageParser Parser => new(new StaticOptionsMonitor<IncidentsOptions>(_options));

    public static TheoryData<IncidentMessage> Messages => new()
    {
        new DisableMessage { IncidentId = "INC-1", Tokens = [TestTokens.ClassicId(1)], Source = "github-alert", Location = "https://github.com/o/r/blob/main/x", DetectedAt = new DateTimeOffset(2026, 9, 1, 7, 0, 0, TimeSpan.Zero) },
        new RotateMessage { IncidentId = "INC-2", TokenIds = [TestTokens.ClassicId(1), TestTokens.PlatformId(2)], RequestedBy = "platform-team" },
        new EnableMessage { IncidentId = "INC-3", TokenIds = [TestTokens.ClassicId(1)], RequestedBy = "bob", Reason = "false positive" },
        new KillSwitchMessage { IncidentId = "INC-4", RequestedBy = "soc", DryRun = true, Selector = new KillSwitchSelector { Owner = "alice@example.com", Scope = "DataExport", Environment = "prod" } },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_type_round_trips_through_the_processor_parser(IncidentMessage message)
    {
        var outgoing = Serializer.Serialize(message);
        var parsed = Parser.Parse(outgoing.Body);

        Assert.True(parsed.IsValid, parsed.Error?.ToString());
        Assert.Equal(IncidentMessageSerializer.ToJson(message), IncidentMessageSerializer.ToJson(parsed.Message));
        Assert.Equal("application/json", outgoing.ContentType);
        Assert.Equal(message.IncidentId, outgoing.CorrelationId);
        Assert.Equal(IncidentMessageSerializer.TypeName(message), outgoing.Subject);
        Assert.Equal(message.IncidentId, outgoing.ApplicationProperties["incidentId"]);
        Assert.StartsWith("{\"type\":\"" + outgoing.Subject + "\"", Encoding.UTF8.GetString(outgoing.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_id_is_deterministic_per_incident_and_content()
    {
        var a = new DisableMessage { IncidentId = "INC-1", Tokens = [TestTokens.ClassicId(1)] };

        var first = Serializer.Serialize(a).MessageId;
        var again = Serializer.Serialize(a with { }).MessageId;
        var otherTokens = Serializer.Serialize(a with { Tokens = [TestTokens.ClassicId(2)] }).MessageId;
        var dryRun = Serializer.Serialize(a with { DryRun = true }).MessageId;
        var otherIncident = Serializer.Serialize(a with { IncidentId = "INC-2" }).MessageId;

        Assert.Equal(first, again);
        Assert.StartsWith("INC-1:", first, StringComparison.Ordinal);
        Assert.Equal(4, new[] { first, otherTokens, dryRun, otherIncident }.Distinct().Count());
        Assert.Equal(IncidentMessageSerializer.WorkIdOf(a), first["INC-1:".Length..]);
    }

    [Fact]
    public void Long_or_unusual_incident_ids_still_give_a_short_message_id()
    {
        var id = Serializer.Serialize(new DisableMessage { IncidentId = new string('x', 190) + " é", Tokens = [TestTokens.ClassicId(1)] }).MessageId;

        Assert.StartsWith("incident-", id, StringComparison.Ordinal);
        Assert.True(id.Length <= 128);
    }

    [Fact]
    public void Serializing_an_invalid_message_is_a_bug_reported_without_the_secret()
    {
        var secret = TestTokens.NumberedSecret(1);
        var ex = Assert.Throws<ArgumentException>(() => Serializer.Serialize(new EnableMessage { IncidentId = "I", TokenIds = [secret], RequestedBy = "bob", Reason = "fp" }));

        Assert.Contains("SchemaViolation", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.NumberedSecretPart(1), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_splits_oversized_token_lists_into_messages_of_the_same_incident()
    {
        _options.MaxTokensPerMessage = 1000;
        _options.MaxMessageBytes = 16 * 1024;
        var sender = new RecordingIncidentMessageSender();
        var queue = new ServiceBusIncidentQueue(Serializer, sender, new StaticOptionsMonitor<IncidentsOptions>(_options));
        var tokens = Enumerable.Range(1, 2500).Select(TestTokens.ClassicId).ToList();

        await queue.EnqueueAsync(new DisableMessage { IncidentId = "INC-BIG", Tokens = tokens }, CancellationToken.None);

        Assert.True(sender.Sent.Count > 3);
        Assert.All(sender.Sent, m => Assert.True(m.Body.Length <= _options.MaxMessageBytes));
        Assert.All(sender.Sent, m => Assert.Equal("INC-BIG", m.CorrelationId));
        Assert.Equal(sender.Sent.Count, sender.Sent.Select(m => m.MessageId).Distinct().Count());
        var parsed = sender.Sent.Select(m => Assert.IsType<DisableMessage>(Parser.Parse(m.Body).Message)).ToList();
        Assert.Equal(tokens, parsed.SelectMany(p => p.Tokens));
    }
}
