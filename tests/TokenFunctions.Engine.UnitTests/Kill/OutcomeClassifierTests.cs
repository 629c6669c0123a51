using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

/// <summary>
/// The one table of outcomes: every <see cref="TokenOutcomeKind"/> with every column (the queue's class, the CLI's exit,
/// the notifications' label and human action) and what <see cref="TokenOutcome"/>'s flags derive from it.
/// </summary>
public sealed class OutcomeClassifierTests
{
    private const string NotFoundAction = "No configured environment or account knows this token: find where it lives and revoke it there.";
    private const string UnsupportedAction = "No API can revoke this kind of token (e.g. an OAuth client secret): revoke or rotate it in Dynatrace by hand.";
    private const string ProtectedAction = "Allow-listed, so not disabled automatically: decide, and disable it by hand if the leak is real.";
    private const string DeniedAction = "Dynatrace refused our management credential (401/403): fix its scopes, then disable this token by hand.";
    private const string OwnCredentialAction = "This is our own management credential and no secondary is configured: rotate it by hand, then disable it.";
    private const string UnaddressableAction =
        "Dynatrace did not accept this platform token's dt0s16 id and no search mapped it to the id the account uses: disable it in Account Management > Platform tokens (myaccount.dynatrace.com/platformTokens).";
    private const string SecretNotVerifiedAction =
        "The id exists but the reported secret does not verify (altered or forged?): not disabled. If the leak is real, kill it by id (tokenfunctions kill <id>).";

    private static readonly TokenId Classic = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN");

    [Theory]
    [InlineData(TokenOutcomeKind.Disabled, OutcomeClass.Succeeded, OutcomeExit.Ok, "disabled", null)]
    [InlineData(TokenOutcomeKind.AlreadyDisabled, OutcomeClass.Succeeded, OutcomeExit.Ok, "already disabled", null)]
    [InlineData(TokenOutcomeKind.WouldDisable, OutcomeClass.Succeeded, OutcomeExit.Ok, "would be disabled (dry run)", null)]
    [InlineData(TokenOutcomeKind.NotFound, OutcomeClass.Settled, OutcomeExit.NotFound, "not found", NotFoundAction)]
    [InlineData(TokenOutcomeKind.Unsupported, OutcomeClass.Settled, OutcomeExit.NeedsHuman, "no revoke API", UnsupportedAction)]
    [InlineData(TokenOutcomeKind.Protected, OutcomeClass.Settled, OutcomeExit.NeedsHuman, "protected", ProtectedAction)]
    [InlineData(TokenOutcomeKind.Denied, OutcomeClass.NeedsHuman, OutcomeExit.CredentialRefused, "access denied", DeniedAction)]
    [InlineData(TokenOutcomeKind.CannotDisableOwnCredential, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman, "our own credential", OwnCredentialAction)]
    [InlineData(TokenOutcomeKind.Failed, OutcomeClass.Retry, OutcomeExit.Failed, "failed, retrying", null)]
    [InlineData(TokenOutcomeKind.Enabled, OutcomeClass.Succeeded, OutcomeExit.Ok, "Enabled", null)]
    [InlineData(TokenOutcomeKind.WouldEnable, OutcomeClass.Succeeded, OutcomeExit.Ok, "WouldEnable", null)]
    [InlineData(TokenOutcomeKind.Unaddressable, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman, "cannot address (id form unknown)", UnaddressableAction)]
    [InlineData(TokenOutcomeKind.SecretNotVerified, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman, "secret does not verify", SecretNotVerifiedAction)]
    [InlineData(TokenOutcomeKind.Interrupted, OutcomeClass.Retry, OutcomeExit.Interrupted, "interrupted, retrying", null)]
    public void Each_outcome_kind_has_its_row(TokenOutcomeKind kind, OutcomeClass outcomeClass, OutcomeExit exit, string label, string? humanAction)
    {
        var rule = OutcomeClassifier.Rule(kind);
        Assert.Equal(kind, rule.Kind);
        Assert.Equal(outcomeClass, rule.Class);
        Assert.Equal(outcomeClass, OutcomeClassifier.Classify(kind));
        Assert.Equal(exit, rule.Exit);
        Assert.Equal(label, rule.Label);
        Assert.Equal(label, IncidentView.Label(kind));
        Assert.Equal(humanAction, rule.HumanAction);
        Assert.Equal(humanAction, OutcomeClassifier.HumanAction(kind));
        Assert.Equal(humanAction, HumanActions.For(kind));

        // TokenOutcome's flags are the table's: a success, a retry, or something left for a person (settled kinds too).
        var outcome = new TokenOutcome { TokenId = Classic, Outcome = kind };
        Assert.Equal(outcomeClass, outcome.Class);
        Assert.Equal(outcomeClass == OutcomeClass.Succeeded, outcome.IsSuccess);
        Assert.Equal(outcomeClass == OutcomeClass.Retry, outcome.IsRetryable);
        Assert.Equal(humanAction is not null, outcome.NeedsHuman);
        Assert.Equal(!outcome.IsSuccess && !outcome.IsRetryable, outcome.NeedsHuman);
        Assert.Equal(humanAction is not null, new IncidentTokenLine { TokenId = Classic, Outcome = kind }.NeedsHuman);
    }

    [Fact]
    public void Every_outcome_kind_has_a_row_above_and_one_in_the_table_in_declaration_order()
    {
        var covered = typeof(OutcomeClassifierTests).GetMethod(nameof(Each_outcome_kind_has_its_row))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (TokenOutcomeKind)a.Data[0]!)
            .ToList();
        Assert.Equal(Enum.GetValues<TokenOutcomeKind>(), covered);
        Assert.Equal(Enum.GetValues<TokenOutcomeKind>(), OutcomeClassifier.Rules.Select(r => r.Kind));
    }

    [Fact]
    public void A_value_outside_the_enum_has_no_row() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OutcomeClassifier.Rule((TokenOutcomeKind)999));
}
