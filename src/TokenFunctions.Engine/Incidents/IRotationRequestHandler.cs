using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Carries out a queued <c>rotate</c> request for one token. The rotation capability registers its implementation;
/// without it, <see cref="UnavailableRotationRequestHandler"/> answers <see cref="RotationRequestStatus.Unavailable"/> and
/// the message is dead-lettered <c>RotationUnavailable</c>.
/// </summary>
public interface IRotationRequestHandler
{
    Task<RotationRequestResult> RotateAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken);
}
