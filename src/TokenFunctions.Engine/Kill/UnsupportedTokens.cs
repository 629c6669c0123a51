using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>What a human must do about a token kind this app cannot disable.</summary>
internal static class UnsupportedTokens
{
    public static string Guidance(TokenId id) => id.Prefix.ToLowerInvariant() switch
    {
        "dt0s02" or "dt0s03" or "dt0s08" =>
            $"{id} is an OAuth client secret; Dynatrace has no API to revoke it. An account admin must delete the OAuth client "
            + "(or regenerate its secret) in Account Management > Identity & access management > OAuth clients, then update every consumer.",
        "dt0g01" or "dt0g02" =>
            $"{id} is an ActiveGate token, which this app does not disable. Delete it with DELETE /api/v2/activeGateTokens/{id} "
            + "(scope activeGateTokenManagement.write) or in the environment under Access tokens > ActiveGate tokens.",
        "dt0s01" =>
            $"{id} is a SCIM token. An account admin must revoke it in Account Management > Identity & access management > SCIM.",
        "dt0s06" =>
            $"{id} is an OAuth refresh token (short-lived). Revoke the sessions of the user or client it belongs to if it may still be valid.",
        "dt0s04" or "dt0s09" =>
            $"{id} is a chat/identity-linking credential. Remove the integration it belongs to in Account Management.",
        "dt0s17" =>
            $"{id} belongs to an OAuth client that requires user consent. An account admin must delete the client in Account Management.",
        _ => $"{id} has a Dynatrace prefix this app has no kill path for. Identify the token type and revoke it by hand.",
    };
}
