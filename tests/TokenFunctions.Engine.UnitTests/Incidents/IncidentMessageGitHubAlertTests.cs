using System.Text;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;

namespace TokenFunctions.Engine.Incidents;

/// <summary>The optional <c>gitHubAlert</c> of a <c>disable</c> message: strict when present, absent by default.</summary>
public sealed class IncidentMessageGitHubAlertTests
{
    private readonly IncidentsOptions _options = new();

    private static string Disable(string gitHubAlert) =>
        $$"""{ "version": 1, "type": "disable", "incidentId": "github-alert:d-1", "source": "github-alert", "tokens": ["{{TestTokens.ClassicId(1)}}"], "gitHubAlert": {{gitHubAlert}} }""";

    [Theory]
    [InlineData("octo-org", "hello", 42L)]
    [InlineData("a", "b", 1L)]
    [InlineData("Octo_Org.2", "my-repo.js", 9_007_199_254_740_993L)]
    [InlineData("o", ".github", 3L)]
    public void A_good_reference_is_accepted(string owner, string repository, long number)
    {
        var result = Parse(Disable($$"""{ "owner": "{{owner}}", "repository": "{{repository}}", "number": {{number}} }"""));

        Assert.True(result.IsValid, result.Error?.ToString());
        var alert = Assert.IsType<DisableMessage>(result.Message).GitHubAlert;
        Assert.Equal(new GitHubAlertReference { Owner = owner, Repository = repository, Number = number }, alert);
    }

    [Fact]
    public void A_message_without_a_reference_stays_valid_and_carries_none()
    {
        var result = Parse($$"""{ "version": 1, "type": "disable", "incidentId": "INC-1", "tokens": ["{{TestTokens.ClassicId(1)}}"] }""");

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Null(Assert.IsType<DisableMessage>(result.Message).GitHubAlert);
        Assert.DoesNotContain("gitHubAlert", Encoding.UTF8.GetString(IncidentMessageSerializer.ToJson(result.Message)), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadReferences => new()
    {
        { """{ "owner": "", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { """{ "owner": "octo org", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { """{ "owner": "octo/org", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { """{ "owner": ".", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { """{ "owner": "..", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { """{ "owner": "ö", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { $$"""{ "owner": "{{new string('a', 101)}}", "repository": "hello", "number": 42 }""", "gitHubAlert.owner" },
        { """{ "owner": "octo-org", "repository": "..", "number": 42 }""", "gitHubAlert.repository" },
        { """{ "owner": "octo-org", "repository": "hel\nlo", "number": 42 }""", "gitHubAlert.repository" },
        { """{ "owner": "octo-org", "repository": "../etc", "number": 42 }""", "gitHubAlert.repository" },
        { $$"""{ "owner": "octo-org", "repository": "{{new string('r', 101)}}", "number": 42 }""", "gitHubAlert.repository" },
        { """{ "owner": "octo-org", "repository": "hello", "number": 0 }""", "gitHubAlert.number" },
        { """{ "owner": "octo-org", "repository": "hello", "number": -3 }""", "gitHubAlert.number" },
    };

    [Theory]
    [MemberData(nameof(BadReferences))]
    public void A_bad_reference_is_a_schema_violation_naming_the_field(string gitHubAlert, string field)
    {
        var result = Parse(Disable(gitHubAlert));

        Assert.False(result.IsValid);
        Assert.Equal(DeadLetterReasons.SchemaViolation, result.Error.Reason);
        Assert.StartsWith(field, result.Error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "owner": "octo-org", "repository": "hello" }""")]
    [InlineData("""{ "owner": "octo-org", "repository": "hello", "number": "42" }""")]
    [InlineData("""{ "owner": "octo-org", "repository": "hello", "number": 1.5 }""")]
    [InlineData("""{ "owner": "octo-org", "repository": "hello", "number": 42, "state": "resolved" }""")]
    [InlineData("""{ "owner": null, "repository": "hello", "number": 42 }""")]
    [InlineData("\"octo-org/hello#42\"")]
    public void A_malformed_reference_is_refused(string gitHubAlert)
    {
        var result = Parse(Disable(gitHubAlert));

        Assert.False(result.IsValid);
        Assert.Contains(result.Error.Reason, new[] { DeadLetterReasons.InvalidJson, DeadLetterReasons.SchemaViolation });
    }

    [Fact]
    public void The_validator_refuses_a_reference_built_in_code_too()
    {
        var message = new DisableMessage
        {
            IncidentId = "INC-1",
            Tokens = [TestTokens.ClassicId(1)],
            GitHubAlert = new GitHubAlertReference { Owner = "octo-org", Repository = "hello", Number = 0 },
        };

        var error = IncidentMessageValidator.Validate(message, 10);

        Assert.Equal(DeadLetterReasons.SchemaViolation, error?.Reason);
        Assert.Null(IncidentMessageValidator.Validate(message with { GitHubAlert = message.GitHubAlert! with { Number = 42 } }, 10));
    }

    [Fact]
    public void The_reference_round_trips_through_the_serializer_as_camel_case_json()
    {
        var message = new DisableMessage
        {
            IncidentId = "github-alert:d-1",
            Tokens = [TestTokens.ClassicId(1)],
            Source = "github-alert",
            GitHubAlert = new GitHubAlertReference { Owner = "octo-org", Repository = "hello", Number = 42 },
        };

        var outgoing = new IncidentMessageSerializer(new StaticOptionsMonitor<IncidentsOptions>(_options)).Serialize(message);
        var json = Encoding.UTF8.GetString(outgoing.Body.Span);
        var parsed = Parse(json);

        Assert.Contains("\"gitHubAlert\":{\"owner\":\"octo-org\",\"repository\":\"hello\",\"number\":42}", json, StringComparison.Ordinal);
        Assert.Contains("\"version\":1", json, StringComparison.Ordinal);
        Assert.True(parsed.IsValid, parsed.Error?.ToString());
        Assert.Equal(message.GitHubAlert, Assert.IsType<DisableMessage>(parsed.Message).GitHubAlert);
        Assert.Equal(IncidentMessageSerializer.ToJson(message), IncidentMessageSerializer.ToJson(parsed.Message));
    }

    private IncidentParseResult Parse(string body) =>
        new IncidentMessageParser(new StaticOptionsMonitor<IncidentsOptions>(_options)).Parse(Encoding.UTF8.GetBytes(body));
}
