using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>The default until the rotation capability registers its own handler: every request is unavailable.</summary>
public sealed class UnavailableRotationRequestHandler : IRotationRequestHandler
{
    public const string Description = "rotation is not configured for this deployment";

    public Task<RotationRequestResult> RotateAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken) =>
        Task.FromResult(RotationRequestResult.Unavailable(Description));
}
