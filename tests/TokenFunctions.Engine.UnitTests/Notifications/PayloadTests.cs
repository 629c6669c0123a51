using System.Text;
using System.Text.Json;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using static TokenFunctions.Engine.UnitTests.Notifications.NotificationTestData;

namespace TokenFunctions.Engine.UnitTests.Notifications;

public sealed class PayloadTests
{
    private static readonly IncidentView View = IncidentView.Create(Mixed(), Options());

    [Fact]
    public void The_view_resolves_contacts_by_owner_then_environment_then_default_and_puts_human_work_first()
    {
        Assert.Equal([OAuth, Protected, Classic, Platform], View.Tokens.Select(t => t.Line.TokenId));
        var contacts = View.Tokens.ToDictionary(t => t.Line.TokenId, t => t.Contact);
        Assert.Equal("<@U0ALICE>", contacts[Classic]);
        Assert.Equal("bob@example.com", contacts[Platform]);
        Assert.Equal("#prod-oncall", contacts[Protected]);
        Assert.Equal("security-oncall@example.com", contacts[OAuth]);
        Assert.Equal("Leaked Dynatrace tokens: 1 disabled, 1 already disabled, 1 no revoke API, 1 protected — 2 need a human", View.Title);
    }

    [Fact]
    public void A_managed_credential_names_its_tf_notify_contact_ahead_of_the_owner_mapping()
    {
        var managed = new TokenOutcome
        {
            TokenId = Classic,
            Outcome = TokenOutcomeKind.Disabled,
            Owner = "prod-env",
            Facts = TokenFacts.From(new ApiTokenInfo { Id = Classic, Owner = "alice@example.com" }),
            NotifyContact = "team-observability",
        };

        var view = IncidentView.Create(IncidentSummary.From(new KillResult([managed]), "incident-2", "github-alert", false, T0), Options());

        Assert.Equal("team-observability", Assert.Single(view.Tokens).Contact);
        Assert.Equal(["team-observability"], view.Contacts);
    }

    [Fact]
    public void Teams_gets_one_adaptive_card_with_ids_owners_replacement_and_human_actions()
    {
        var bytes = TeamsPayloadBuilder.Serialize(View);
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;

        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.All(body, e => Assert.Contains(e.GetProperty("type").GetString(), new[] { "TextBlock", "FactSet" }));
        Assert.Equal(View.Title, body[0].GetProperty("text").GetString());
        Assert.Equal("Attention", body[0].GetProperty("color").GetString());
        var facts = body[1].GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal("incident-1", facts["Incident"]);
        Assert.Equal("1", facts["Disabled"]);
        Assert.Contains("<@U0ALICE>", facts["Owners"], StringComparison.Ordinal);

        var text = string.Join('\n', body.Where(e => e.TryGetProperty("text", out _)).Select(e => e.GetProperty("text").GetString()));
        AssertMentionsEverything(text);
        AssertNoSecret(bytes);
    }

    [Fact]
    public void Slack_gets_blocks_with_a_fallback_text_ids_owners_replacement_and_human_actions()
    {
        var bytes = SlackPayloadBuilder.Serialize(View);
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;

        Assert.StartsWith(View.Title, root.GetProperty("text").GetString(), StringComparison.Ordinal);
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("context", blocks[^1].GetProperty("type").GetString());
        Assert.All(blocks, b => Assert.Contains(b.GetProperty("type").GetString(), new[] { "header", "section", "context" }));

        var text = Strings(bytes);
        var humanSection = blocks.Single(b => b.TryGetProperty("text", out var t) && t.GetProperty("text").GetString()!.StartsWith("*What a human", StringComparison.Ordinal));
        Assert.Contains("dt0s02.ABCDEFGH", humanSection.GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<@U0ALICE>", text, StringComparison.Ordinal);
        AssertMentionsEverything(text);
        AssertNoSecret(bytes);
    }

    [Fact]
    public void The_generic_webhook_gets_the_whole_incident_as_data()
    {
        var bytes = GenericPayloadBuilder.Serialize(View);
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;

        Assert.Equal("tokenfunctions.incident", root.GetProperty("type").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("incident-1", root.GetProperty("incidentId").GetString());
        Assert.Equal("github-alert", root.GetProperty("source").GetString());
        Assert.False(root.GetProperty("dryRun").GetBoolean());
        Assert.True(root.GetProperty("needsHuman").GetBoolean());
        Assert.Equal(1, root.GetProperty("counts").GetProperty("Protected").GetInt32());
        Assert.Equal("GET /api/audit?incidentId=incident-1", root.GetProperty("auditQuery").GetString());
        var tokens = root.GetProperty("tokens").EnumerateArray().ToDictionary(t => t.GetProperty("tokenId").GetString()!);
        Assert.Equal(4, tokens.Count);
        var classic = tokens["dt0c01.ST2EY72KQINMH574WMNVI7YN"];
        Assert.Equal("Disabled", classic.GetProperty("outcome").GetString());
        Assert.Equal("ClassicApiToken", classic.GetProperty("kind").GetString());
        Assert.Equal("alice@example.com", classic.GetProperty("owner").GetString());
        Assert.Equal("<@U0ALICE>", classic.GetProperty("contact").GetString());
        Assert.Equal("https://kv-tokens.vault.azure.net/secrets/ci-token", classic.GetProperty("replacementLocation").GetString());
        Assert.False(classic.TryGetProperty("humanAction", out _));
        Assert.Contains("OAuth client secret", tokens["dt0s02.ABCDEFGH"].GetProperty("humanAction").GetString(), StringComparison.Ordinal);
        AssertNoSecret(bytes);
    }

    [Fact]
    public void A_large_incident_is_still_one_message_within_chat_limits()
    {
        var view = IncidentView.Create(Many(500), Options());

        using var slack = JsonDocument.Parse(SlackPayloadBuilder.Serialize(view));
        var blocks = slack.RootElement.GetProperty("blocks").EnumerateArray().ToList();
        Assert.True(blocks.Count <= 50);
        Assert.All(blocks.Where(b => b.TryGetProperty("text", out _)), b => Assert.True(b.GetProperty("text").GetProperty("text").GetString()!.Length <= 3000));
        Assert.True(blocks[0].GetProperty("text").GetProperty("text").GetString()!.Length <= 150);
        Assert.Contains("…and 480 more token(s)", blocks[^1].GetProperty("elements")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // The NotFound tokens (a human's work: every tenth) are the ones listed first.
        var slackText = Strings(SlackPayloadBuilder.Serialize(view));
        Assert.Contains("dt0c01.000000000000000000000190", slackText, StringComparison.Ordinal);
        Assert.DoesNotContain("dt0c01.000000000000000000000001", slackText, StringComparison.Ordinal);

        var teams = TeamsPayloadBuilder.Serialize(view);
        Assert.True(teams.Length < 28_000, $"Teams card is {teams.Length} bytes");
        Assert.Contains("…and 480 more token(s)", Strings(teams), StringComparison.Ordinal);

        using var generic = JsonDocument.Parse(GenericPayloadBuilder.Serialize(view));
        Assert.Equal(500, generic.RootElement.GetProperty("tokens").GetArrayLength());
        Assert.Equal(0, generic.RootElement.GetProperty("omitted").GetInt32());
    }

    [Fact]
    public void A_dry_run_says_so_everywhere()
    {
        var view = IncidentView.Create(Mixed(dryRun: true), Options());

        Assert.StartsWith("[DRY RUN] ", view.Title, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was disabled", Strings(TeamsPayloadBuilder.Serialize(view)), StringComparison.Ordinal);
        Assert.Contains("(dry run)", Strings(SlackPayloadBuilder.Serialize(view)), StringComparison.Ordinal);
        using var generic = JsonDocument.Parse(GenericPayloadBuilder.Serialize(view));
        Assert.True(generic.RootElement.GetProperty("dryRun").GetBoolean());
    }

    [Fact]
    public void Slack_control_characters_in_data_are_escaped_but_configured_mentions_stay_live()
    {
        var summary = Mixed("<!channel> & co");
        var view = IncidentView.Create(summary, Options());
        var slack = JsonSerializer.Deserialize<SlackMessage>(SlackPayloadBuilder.Serialize(view), NotificationJsonContext.Default.SlackMessage)!;
        var all = string.Join('\n', slack.Blocks.SelectMany(b => (b.Fields ?? []).Concat(b.Elements ?? []).Append(b.Text)).OfType<SlackText>().Select(t => t.Text));

        Assert.DoesNotContain("<!channel>", all, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt; &amp; co", all, StringComparison.Ordinal);
        Assert.Contains("<@U0ALICE>", all, StringComparison.Ordinal);
    }

    private static void AssertMentionsEverything(string text)
    {
        foreach (var id in new[] { Classic, Platform, OAuth, Protected })
        {
            Assert.Contains(id.Value, text, StringComparison.Ordinal);
        }

        Assert.Contains("alice@example.com", text, StringComparison.Ordinal);
        Assert.Contains("<@U0ALICE>", text, StringComparison.Ordinal);
        Assert.Contains("bob@example.com", text, StringComparison.Ordinal);
        Assert.Contains("https://kv-tokens.vault.azure.net/secrets/ci-token", text, StringComparison.Ordinal);
        Assert.Contains(HumanActions.For(TokenFunctions.Engine.Kill.TokenOutcomeKind.Protected)!, text, StringComparison.Ordinal);
        Assert.Contains(HumanActions.For(TokenFunctions.Engine.Kill.TokenOutcomeKind.Unsupported)!, text, StringComparison.Ordinal);
        Assert.Contains("/api/audit?incidentId=incident-1", text, StringComparison.Ordinal);
    }

    private static void AssertNoSecret(byte[] payload)
    {
        Assert.DoesNotContain(SecretPart, Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, Strings(payload), StringComparison.Ordinal);
    }

    /// <summary>Every string in the JSON, decoded (the serializer escapes &lt;, &gt;, &amp; and non-ASCII).</summary>
    private static string Strings(byte[] payload)
    {
        using var json = JsonDocument.Parse(payload);
        var all = new List<string>();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: all.Add(e.GetString()!); break;
                case JsonValueKind.Array: foreach (var item in e.EnumerateArray()) { Walk(item); } break;
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) { Walk(p.Value); } break;
            }
        }

        Walk(json.RootElement);
        return string.Join('\n', all);
    }
}
