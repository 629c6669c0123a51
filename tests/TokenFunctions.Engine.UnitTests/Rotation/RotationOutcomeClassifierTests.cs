using Moq;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Rotation;

/// <summary>
/// The one table of rotation outcomes: every <see cref="RotationOutcome"/> with its class, what the queue answers for it
/// (and how a <c>rotate</c> message then records it) and how the CLI's exit code reads it.
/// </summary>
public sealed class RotationOutcomeClassifierTests
{
    private static readonly TokenId Current = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA");

    [Theory]
    [InlineData(RotationOutcome.Rotated, OutcomeClass.Succeeded, RotationRequestStatus.Rotated, OutcomeExit.Ok)]
    [InlineData(RotationOutcome.AlreadyRotated, OutcomeClass.Succeeded, RotationRequestStatus.Rotated, OutcomeExit.Ok)]
    [InlineData(RotationOutcome.InProgress, OutcomeClass.Retry, RotationRequestStatus.Failed, OutcomeExit.Error)]
    [InlineData(RotationOutcome.Pending, OutcomeClass.Retry, RotationRequestStatus.Failed, OutcomeExit.Unreachable)]
    [InlineData(RotationOutcome.NotManaged, OutcomeClass.Settled, RotationRequestStatus.NotManaged, OutcomeExit.NotFound)]
    [InlineData(RotationOutcome.Invalid, OutcomeClass.NeedsHuman, RotationRequestStatus.NeedsHuman, OutcomeExit.NeedsHuman)]
    [InlineData(RotationOutcome.Refused, OutcomeClass.NeedsHuman, RotationRequestStatus.NeedsHuman, OutcomeExit.NeedsHuman)]
    [InlineData(RotationOutcome.RolledBack, OutcomeClass.NeedsHuman, RotationRequestStatus.NeedsHuman, OutcomeExit.Error)]
    [InlineData(RotationOutcome.Failed, OutcomeClass.NeedsHuman, RotationRequestStatus.NeedsHuman, OutcomeExit.Error)]
    [InlineData(RotationOutcome.CreationDisabled, OutcomeClass.NeedsHuman, RotationRequestStatus.NeedsHuman, OutcomeExit.NeedsHuman)]
    public async Task Each_rotation_outcome_has_its_row(RotationOutcome outcome, OutcomeClass outcomeClass, RotationRequestStatus queued, OutcomeExit exit)
    {
        Assert.Equal(outcomeClass, RotationOutcomeClassifier.Classify(outcome));
        Assert.Equal(exit, RotationOutcomeClassifier.Exit(outcome));

        var index = new Mock<IManagedCredentialIndex>();
        index.Setup(i => i.FindByTokenIdAsync(Current, It.IsAny<CancellationToken>())).ReturnsAsync(new ManagedCredentialRef("dt-prod-ci", Current, "prod01"));
        var rotation = new Mock<IRotationService>();
        rotation.Setup(r => r.RotateAsync(It.IsAny<RotationRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new RotationResult("dt-prod-ci", outcome));
        var result = await new QueuedRotationRequestHandler(index.Object, rotation.Object).RotateAsync(Current, "INC-1", "alice", TestContext.Current.CancellationToken);
        Assert.Equal(queued, result.Status);

        // The rotate message records the queue's answer in the class the table gives the outcome.
        Assert.Equal(outcomeClass, RotationRequestStatuses.Classify(result.Status));
    }

    [Fact]
    public void Every_rotation_outcome_has_a_row_above_and_one_in_the_table_in_declaration_order()
    {
        var covered = typeof(RotationOutcomeClassifierTests).GetMethod(nameof(Each_rotation_outcome_has_its_row))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (RotationOutcome)a.Data[0]!)
            .ToList();
        Assert.Equal(Enum.GetValues<RotationOutcome>(), covered);
        Assert.Equal(Enum.GetValues<RotationOutcome>(), RotationOutcomeClassifier.Rules.Select(r => r.Outcome));
    }

    [Fact]
    public void An_unavailable_rotation_ends_the_message_and_is_no_token_outcome() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RotationRequestStatuses.Classify(RotationRequestStatus.Unavailable));
}
