using Moq;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Composition;

public sealed class QueuedRotationRequestHandlerTests
{
    private static readonly TokenId Current = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA");

    private static (QueuedRotationRequestHandler Handler, Mock<IRotationService> Rotation) Create(ManagedCredentialRef? match, RotationOutcome outcome)
    {
        var index = new Mock<IManagedCredentialIndex>();
        index.Setup(i => i.FindByTokenIdAsync(Current, It.IsAny<CancellationToken>())).ReturnsAsync(match);
        var rotation = new Mock<IRotationService>();
        rotation.Setup(r => r.RotateAsync(It.IsAny<RotationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RotationResult("dt-prod-ci", outcome) { SecretId = "https://kv.vault.azure.net/secrets/dt-prod-ci/v2" });
        return (new QueuedRotationRequestHandler(index.Object, rotation.Object), rotation);
    }

    [Fact]
    public async Task An_unmanaged_token_is_not_rotated()
    {
        var (handler, rotation) = Create(null, RotationOutcome.Rotated);
        var result = await handler.RotateAsync(Current, "INC-1", "alice", TestContext.Current.CancellationToken);

        Assert.Equal(RotationRequestStatus.NotManaged, result.Status);
        rotation.Verify(r => r.RotateAsync(It.IsAny<RotationRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_managed_token_is_rotated_manually_and_only_if_still_current()
    {
        var (handler, rotation) = Create(new ManagedCredentialRef("dt-prod-ci", Current, "prod01"), RotationOutcome.Rotated);
        var result = await handler.RotateAsync(Current, "INC-1", "alice", TestContext.Current.CancellationToken);

        Assert.Equal(RotationRequestStatus.Rotated, result.Status);
        Assert.Equal("https://kv.vault.azure.net/secrets/dt-prod-ci/v2", result.ReplacementLocation);
        rotation.Verify(r => r.RotateAsync(
            It.Is<RotationRequest>(q => q.SecretName == "dt-prod-ci" && q.Trigger == RotationTrigger.Manual
                && q.ExpectedTokenId == Current && q.CorrelationId == "INC-1" && q.RequestedBy == "alice"),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_token_already_replaced_is_not_rotated_again()
    {
        var (handler, rotation) = Create(new ManagedCredentialRef("dt-prod-ci", Current, "prod01") { IsPrevious = true }, RotationOutcome.Rotated);
        var result = await handler.RotateAsync(Current, "INC-1", "alice", TestContext.Current.CancellationToken);

        Assert.Equal(RotationRequestStatus.Rotated, result.Status);
        rotation.Verify(r => r.RotateAsync(It.IsAny<RotationRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(RotationOutcome.AlreadyRotated, RotationRequestStatus.Rotated)]
    [InlineData(RotationOutcome.InProgress, RotationRequestStatus.Failed)]
    [InlineData(RotationOutcome.Pending, RotationRequestStatus.Failed)]
    [InlineData(RotationOutcome.Invalid, RotationRequestStatus.NeedsHuman)]
    [InlineData(RotationOutcome.Refused, RotationRequestStatus.NeedsHuman)]
    [InlineData(RotationOutcome.RolledBack, RotationRequestStatus.NeedsHuman)]
    [InlineData(RotationOutcome.Failed, RotationRequestStatus.NeedsHuman)]
    [InlineData(RotationOutcome.NotManaged, RotationRequestStatus.NotManaged)]
    public async Task Rotation_outcomes_map_to_settlement_relevant_statuses(RotationOutcome outcome, RotationRequestStatus expected)
    {
        var (handler, _) = Create(new ManagedCredentialRef("dt-prod-ci", Current, "prod01"), outcome);
        var result = await handler.RotateAsync(Current, "INC-1", "alice", TestContext.Current.CancellationToken);
        Assert.Equal(expected, result.Status);
    }
}
