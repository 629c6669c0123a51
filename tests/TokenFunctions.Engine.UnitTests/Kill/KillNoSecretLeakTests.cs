using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

/// <summary>
/// A full run that goes wrong in every way that could echo a secret: Dynatrace error bodies that quote the token, a client
/// that throws with it, an audit sink and a rotation that fail with it in their messages. Nothing may reach any log.
/// </summary>
public sealed class KillNoSecretLeakTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_secret_appears_in_any_log_output_of_a_failing_run(bool redactingLoggerInstalled)
    {
        using var h = new KillHarness(environments: 4, accounts: 1) { RedactLogs = redactingLoggerInstalled };
        h.Rotation = new FakeLeakRotation();
        var disabled = TestTokens.RandomClassicSecret(1);
        var echoed = TestTokens.RandomClassicSecret(2);
        var thrown = TestTokens.RandomClassicSecret(3);
        var denied = TestTokens.RandomClassicSecret(4);
        var platform = TokenSecret.Parse(TestTokens.RandomPlatform(5));
        var oauth = TokenSecret.Parse(TestTokens.Text("dt0s02", 6, 8));
        TokenSecret[] all = [disabled, echoed, thrown, denied, platform, oauth];

        h.Environments[0].Add(disabled);
        h.Environments[0].Add(denied);
        h.Environments[0].FailWritesWith = DynatraceStatus.Transient;
        h.Environments[0].WriteError = new DynatraceError(500, $"cannot update token {denied.Reveal()} right now");
        h.Environments[1].FailReadsWith = DynatraceStatus.Transient;
        h.Environments[1].ReadError = new DynatraceError(500, $"internal error while looking up {echoed.Reveal()}");
        h.Environments[2].ThrowOnRead = new HttpRequestException($"socket closed while sending {{\"token\":\"{thrown.Reveal()}\"}}");
        h.Environments[3].FailReadsWith = DynatraceStatus.Unauthorized;
        h.Environments[3].ReadError = new DynatraceError(401, $"Token authentication failed for {echoed.Reveal().ToLowerInvariant()}");
        h.Accounts[0].Add(platform.Id);
        h.Rotation.Failure = new InvalidOperationException($"could not store {disabled.Reveal()} in Key Vault");
        h.Audit.Failure = new InvalidOperationException($"audit table rejected entity containing {platform.Reveal()}");

        var result = await h.DisableAsync([.. all.Select(s => Leak.FromSecret(s, "github-alert", "c") with { Location = $"blob/{s.Reveal()}" })]);
        await h.Engine.EnableAsync(denied.Id, null, "c", "alice", $"reason quoting {denied.Reveal()}", TestContext.Current.CancellationToken);

        Assert.Equal(6, result.Outcomes.Count);
        Assert.Contains(result.Outcomes, o => o.Outcome == TokenOutcomeKind.Failed);
        Assert.NotEmpty(h.Logs.Entries);
        var everything = h.Logs.AllText
            + string.Join('\n', result.Outcomes.Select(o => o.ToString()))
            + string.Join('\n', h.Audit.Records.Select(r => r.ToString()));
        foreach (var secret in all)
        {
            Assert.DoesNotContain(TestTokens.SecretPart(secret.Reveal()), everything, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(disabled.Id.Value, everything, StringComparison.Ordinal); // ids are what we log instead
    }
}
