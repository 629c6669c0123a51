using System.Text;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;

namespace TokenFunctions.Engine.Incidents;

public sealed class IncidentMessageParserTests
{
    private static readonly string Secret = TestTokens.NumberedSecret(7);
    private static readonly string SecretPart = TestTokens.NumberedSecretPart(7);

    private readonly IncidentsOptions _options = new() { MaxTokensPerMessage = 5, MaxMessageBytes = 64 * 1024 };

    [Fact]
    public void Parses_a_disable_message_with_ids_and_full_tokens_in_any_property_order()
    {
        var result = Parse($$"""
            { "tokens": ["{{TestTokens.ClassicId(1)}}", "{{Secret}}"], "incidentId": "INC-1", "type": "disable", "version": 1,
              "dryRun": true, "reason": "seen in a gist", "location": "https://gist.example/1", "environment": "prod",
              "source": "sentinel", "requestedBy": "soc@example.com", "detectedAt": "2026-09-01T07:58:00Z" }
            """);

        Assert.True(result.IsValid, result.Error?.ToString());
        var message = Assert.IsType<DisableMessage>(result.Message);
        Assert.Equal("INC-1", message.IncidentId);
        Assert.Equal([TestTokens.ClassicId(1), Secret], message.Tokens);
        Assert.True(message.DryRun);
        Assert.Equal("prod", message.Environment);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 7, 58, 0, TimeSpan.Zero), message.DetectedAt);
    }

    [Fact]
    public void Parses_a_kill_switch_selector()
    {
        var result = Parse("""
            { "version": 1, "type": "kill-switch", "incidentId": "INC-2", "requestedBy": "soc@example.com", "reason": "laptop stolen",
              "selector": { "owner": "alice@example.com", "scope": "apiTokens.write", "environment": "prod" } }
            """);

        var message = Assert.IsType<KillSwitchMessage>(result.Message);
        Assert.Equal("alice@example.com", message.Selector.Owner);
        Assert.Equal("apiTokens.write", message.Selector.Scope);
        Assert.Equal("prod", message.Selector.Environment);
        Assert.Equal("owner(\"alice@example.com\"),scope(\"apiTokens.write\")", EnvironmentTarget.ApiTokenSelector(KillSwitchHandler.TokenSelectorOf(message.Selector)));
    }

    [Fact]
    public void Parses_enable_and_rotate_messages_and_skips_a_byte_order_mark()
    {
        var enable = Parse("\uFEFF" + $$"""{ "version": 1, "type": "enable", "incidentId": "INC-3", "tokenIds": ["{{TestTokens.ClassicId(1)}}"], "requestedBy": "bob", "reason": "false positive: test fixture" }""");
        var rotate = Parse($$"""{ "version": 1, "type": "rotate", "incidentId": "INC-4", "tokenIds": ["{{TestTokens.PlatformId(1)}}"] }""");

        Assert.IsType<EnableMessage>(enable.Message);
        Assert.Equal(TestTokens.PlatformId(1), Assert.IsType<RotateMessage>(rotate.Message).TokenIds.Single());
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "", DeadLetterReasons.InvalidJson, "empty" },
        { "{ \"version\": 1, \"type\": \"disable\", ", DeadLetterReasons.InvalidJson, "not valid UTF-8 JSON" },
        { "not json at all", DeadLetterReasons.InvalidJson, "line 1" },
        { "{ \"version\": 1, \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [\"dt0c01.ABCDEFGH\"] }", DeadLetterReasons.InvalidJson, "repeats a property" },
        { "[1, 2]", DeadLetterReasons.SchemaViolation, "must be a JSON object" },
        { "\"{\\\"version\\\": 1}\"", DeadLetterReasons.SchemaViolation, "serialized twice" },
        { "{ \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [\"dt0c01.ABCDEFGH\"] }", DeadLetterReasons.SchemaViolation, "version is required" },
        { "{ \"version\": \"1\", \"type\": \"disable\" }", DeadLetterReasons.SchemaViolation, "whole number" },
        { "{ \"version\": 2, \"type\": \"disable\" }", DeadLetterReasons.UnsupportedVersion, "version 2 is not supported" },
        { "{ \"version\": 1, \"incidentId\": \"I\" }", DeadLetterReasons.SchemaViolation, "type is required" },
        { "{ \"version\": 1, \"type\": 5 }", DeadLetterReasons.SchemaViolation, "type must be a string" },
        { "{ \"version\": 1, \"type\": \"revoke\", \"incidentId\": \"I\" }", DeadLetterReasons.UnknownType, "\"revoke\" is not one of" },
        { "{ \"version\": 1, \"type\": \"Disable\", \"incidentId\": \"I\" }", DeadLetterReasons.UnknownType, "lower case" },
        { "{ \"version\": 1, \"type\": \"disable\", \"tokens\": [\"dt0c01.ABCDEFGH\"] }", DeadLetterReasons.SchemaViolation, "incidentId is required" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\" }", DeadLetterReasons.SchemaViolation, "tokens is required for type \"disable\"" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [] }", DeadLetterReasons.SchemaViolation, "at least one token" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": null }", DeadLetterReasons.SchemaViolation, "$.tokens" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [\"dt0c01.ABCDEFGH\", \"hello\"] }", DeadLetterReasons.SchemaViolation, "tokens[1] is neither" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [\"dt0c01.ABCDEFGH\"], \"dryrun\": true }", DeadLetterReasons.SchemaViolation, "dryRun must be spelt exactly" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [\"dt0c01.ABCDEFGH\"], \"priority\": 1 }", DeadLetterReasons.SchemaViolation, "\"priority\" is not part of the contract" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"I\", \"tokens\": [\"dt0c01.ABCDEFGH\"], \"dryRun\": \"yes\" }", DeadLetterReasons.SchemaViolation, "$.dryRun" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"  \", \"tokens\": [\"dt0c01.ABCDEFGH\"] }", DeadLetterReasons.SchemaViolation, "incidentId must not be blank" },
        { "{ \"version\": 1, \"type\": \"disable\", \"incidentId\": \"a\\nb\", \"tokens\": [\"dt0c01.ABCDEFGH\"] }", DeadLetterReasons.SchemaViolation, "single line" },
        { "{ \"version\": 1, \"type\": \"rotate\", \"incidentId\": \"I\", \"tokenIds\": [\"nope\"] }", DeadLetterReasons.SchemaViolation, "tokenIds[0] is not a Dynatrace token id" },
        { "{ \"version\": 1, \"type\": \"enable\", \"incidentId\": \"I\", \"tokenIds\": [\"dt0c01.ABCDEFGH\"], \"reason\": \"fp\" }", DeadLetterReasons.SchemaViolation, "requestedBy is required" },
        { "{ \"version\": 1, \"type\": \"enable\", \"incidentId\": \"I\", \"tokenIds\": [\"dt0c01.ABCDEFGH\"], \"requestedBy\": \"bob\" }", DeadLetterReasons.SchemaViolation, "reason is required" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": {} }", DeadLetterReasons.SchemaViolation, "at least one criterion" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"environment\": \"prod\" } }", DeadLetterReasons.SchemaViolation, "allTokens: true" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"account\": \"main\", \"owner\": \"a\" } }", DeadLetterReasons.SchemaViolation, "selector.account narrows platform tokens" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"allTokens\": true } }", DeadLetterReasons.SchemaViolation, "never covers every environment" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"owner\": \"a\\\")\" } }", DeadLetterReasons.SchemaViolation, "quotes or backslashes" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"scope\": \"a b\" } }", DeadLetterReasons.SchemaViolation, "selector.scope" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"platformUserUuid\": \"bob\" } }", DeadLetterReasons.SchemaViolation, "platformUserUuid must be a user UUID" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\", \"selector\": { \"owner\": \"a\", \"team\": \"x\" } }", DeadLetterReasons.SchemaViolation, "\"selector.team\" is not part of the contract" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"selector\": { \"owner\": \"a\" } }", DeadLetterReasons.SchemaViolation, "requestedBy is required" },
        { "{ \"version\": 1, \"type\": \"kill-switch\", \"incidentId\": \"I\", \"requestedBy\": \"soc\" }", DeadLetterReasons.SchemaViolation, "selector is required" },
        { "{ \"a\": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]] }", DeadLetterReasons.InvalidJson, "nests deeper" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public void Refuses_invalid_bodies_with_a_stable_reason_and_an_actionable_description(string body, string reason, string fragment)
    {
        var result = Parse(body);

        Assert.False(result.IsValid);
        Assert.Equal(reason, result.Error.Reason);
        Assert.Contains(fragment, result.Error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_the_number_of_tokens_per_message()
    {
        var tokens = string.Join(", ", Enumerable.Range(1, 6).Select(i => $"\"{TestTokens.ClassicId(i)}\""));
        var result = Parse($$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": [{{tokens}}] }""");

        Assert.Equal(DeadLetterReasons.SchemaViolation, result.Error!.Reason);
        Assert.Contains("lists 6 entries; at most 5", result.Error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_the_body_size_before_parsing()
    {
        var result = Parse("{\"pad\":\"" + new string('x', 70 * 1024) + "\"}");

        Assert.Equal(DeadLetterReasons.MessageTooLarge, result.Error!.Reason);
        Assert.Contains("Incidents:MaxMessageBytes", result.Error.Description, StringComparison.Ordinal);
    }

    public static TheoryData<string> BodiesWithSecrets => new()
    {
        // A secret where an id belongs: refused, and only its public id is repeated.
        $$"""{ "version": 1, "type": "enable", "incidentId": "I", "requestedBy": "bob", "reason": "fp", "tokenIds": ["{{Secret}}"] }""",
        $$"""{ "version": 1, "type": "disable", "incidentId": "{{Secret}}", "tokens": ["{{Secret}}"] }""",
        $$"""{ "version": 1, "type": "kill-switch", "incidentId": "I", "requestedBy": "{{Secret}}", "selector": { "owner": "a" } }""",
        $$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["{{Secret}}x"] }""",
        $$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["{{Secret}}"], "{{Secret}}": 1 }""",
        $$"""{ "version": 1, "type": "{{Secret}}", "incidentId": "I", "tokens": ["{{Secret}}"] }""",
        $$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["{{Secret}}", 5] }""",
        $$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["{{Secret}}"], "reason": 5 }""",
        $$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["{{Secret}}" """,
        $$"""{ "version": 1, "type": "kill-switch", "incidentId": "I", "requestedBy": "soc", "selector": { "owner": "a", "{{Secret}}": "x" } }""",
    };

    [Theory]
    [MemberData(nameof(BodiesWithSecrets))]
    public void A_refusal_never_repeats_a_secret_from_the_body(string body)
    {
        var result = Parse(body);

        Assert.False(result.IsValid);
        Assert.DoesNotContain(SecretPart, result.Error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_sent_as_a_token_id_is_answered_with_its_id_only()
    {
        var result = Parse($$"""{ "version": 1, "type": "rotate", "incidentId": "I", "tokenIds": ["{{Secret}}"] }""");

        Assert.Equal($"tokenIds[0] is a full token including its secret; send only its id {TestTokens.ClassicId(7)}.", result.Error!.Description);
    }

    private IncidentParseResult Parse(string body) =>
        new IncidentMessageParser(new StaticOptionsMonitor<IncidentsOptions>(_options)).Parse(Encoding.UTF8.GetBytes(body));
}
