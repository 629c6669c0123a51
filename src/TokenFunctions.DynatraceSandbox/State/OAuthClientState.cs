namespace TokenFunctions.DynatraceSandbox.State;

internal sealed record OAuthClientState(string ClientId, string ClientSecret, Guid AccountUuid, IReadOnlySet<string> Scopes, string UserUuid);
