using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// Carries out a queued <c>rotate</c> request for one token. The rotation capability registers its implementation;
/// without it, <see cref="UnavailableRotationRequestHandler"/> answers <see cref="RotationRequestStatus.Unavailable"/> and
/// the message is dead-lettered <c>RotationUnavailable</c>.
/// </summary>
public interface IRotationRequestHandler
{
    Task<RotationRequestResult> RotateAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken);

    /// <summary>
    /// A <c>rotate</c> message with <c>leaked</c> set: the token leaked and the kill disabled it, so its credential is
    /// replaced without overlap (the leak rotation the kill handed over). <see cref="RotationRequestStatus.Failed"/>
    /// while Key Vault is unavailable, so the queue retries with backoff. Without an implementation: unavailable.
    /// </summary>
    Task<RotationRequestResult> ReplaceLeakedAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken) =>
        Task.FromResult(RotationRequestResult.Unavailable(UnavailableRotationRequestHandler.Description));
}
