using TokenFunctions.Cli;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;

namespace TokenFunctions.Cli.Tests.Unit;

/// <summary>Every engine outcome has a deliberate exit code: a new outcome kind that falls into the generic error fails here.</summary>
public sealed class ExitCodeMappingTests
{
    [Theory]
    [InlineData(TokenOutcomeKind.Disabled, ExitCodes.Ok)]
    [InlineData(TokenOutcomeKind.AlreadyDisabled, ExitCodes.Ok)]
    [InlineData(TokenOutcomeKind.WouldDisable, ExitCodes.Ok)]
    [InlineData(TokenOutcomeKind.Enabled, ExitCodes.Ok)]
    [InlineData(TokenOutcomeKind.WouldEnable, ExitCodes.Ok)]
    [InlineData(TokenOutcomeKind.NotFound, ExitCodes.NotFound)]
    [InlineData(TokenOutcomeKind.Unsupported, ExitCodes.NeedsHuman)]
    [InlineData(TokenOutcomeKind.Protected, ExitCodes.NeedsHuman)]
    [InlineData(TokenOutcomeKind.CannotDisableOwnCredential, ExitCodes.NeedsHuman)]
    [InlineData(TokenOutcomeKind.Unaddressable, ExitCodes.NeedsHuman)]
    [InlineData(TokenOutcomeKind.SecretNotVerified, ExitCodes.NeedsHuman)]
    [InlineData(TokenOutcomeKind.Denied, ExitCodes.Permission)]
    [InlineData(TokenOutcomeKind.Failed, ExitCodes.Error)]
    [InlineData(TokenOutcomeKind.Interrupted, ExitCodes.Interrupted)]
    public void Each_token_outcome_has_its_exit_code(TokenOutcomeKind kind, int expected) =>
        Assert.Equal(expected, ExitCodes.Of(kind, OutcomeCause.None));

    [Fact]
    public void Every_token_outcome_kind_is_covered_above()
    {
        var covered = typeof(ExitCodeMappingTests).GetMethod(nameof(Each_token_outcome_has_its_exit_code))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (TokenOutcomeKind)a.Data[0]!)
            .ToHashSet();
        Assert.Equal(Enum.GetValues<TokenOutcomeKind>().ToHashSet(), covered);
    }

    [Fact]
    public void A_refused_credential_is_authentication_and_a_missing_permission_is_permission()
    {
        Assert.Equal(ExitCodes.Authentication, ExitCodes.Of(TokenOutcomeKind.Denied, OutcomeCause.CredentialRefused));
        Assert.Equal(ExitCodes.Permission, ExitCodes.Of(TokenOutcomeKind.Denied, OutcomeCause.PermissionMissing));
    }

    [Fact]
    public void A_failure_nobody_answered_is_unreachable_and_a_refused_request_an_error()
    {
        Assert.Equal(ExitCodes.Unreachable, ExitCodes.Of(TokenOutcomeKind.Failed, OutcomeCause.Unanswered));
        Assert.Equal(ExitCodes.Error, ExitCodes.Of(TokenOutcomeKind.Failed, OutcomeCause.Rejected));
        Assert.Equal(ExitCodes.Error, ExitCodes.Of(TokenOutcomeKind.Failed, OutcomeCause.None));
    }

    [Theory]
    [InlineData(RotationOutcome.Rotated, ExitCodes.Ok)]
    [InlineData(RotationOutcome.AlreadyRotated, ExitCodes.Ok)]
    [InlineData(RotationOutcome.NotManaged, ExitCodes.NotFound)]
    [InlineData(RotationOutcome.Pending, ExitCodes.Unreachable)]
    [InlineData(RotationOutcome.Invalid, ExitCodes.NeedsHuman)]
    [InlineData(RotationOutcome.Refused, ExitCodes.NeedsHuman)]
    [InlineData(RotationOutcome.CreationDisabled, ExitCodes.NeedsHuman)]
    [InlineData(RotationOutcome.InProgress, ExitCodes.Error)]
    [InlineData(RotationOutcome.RolledBack, ExitCodes.Error)]
    [InlineData(RotationOutcome.Failed, ExitCodes.Error)]
    public void Each_rotation_outcome_has_its_exit_code(RotationOutcome outcome, int expected) =>
        Assert.Equal(expected, ExitCodes.Of(outcome));
}
