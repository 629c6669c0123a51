namespace TokenFunctions.DynatraceSandbox.State;

/// <summary>An OAuth bearer the sandbox SSO issued.</summary>
internal sealed record BearerState(Guid AccountUuid, string ClientId, IReadOnlySet<string> Scopes, DateTimeOffset ExpiresAt);
