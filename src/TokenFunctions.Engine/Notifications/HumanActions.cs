using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Engine.Notifications;

/// <summary>What a person must still do for an outcome the engine could not finish on its own.</summary>
public static class HumanActions
{
    /// <summary>The instruction for <paramref name="outcome"/>, or null when nothing is left for a human.</summary>
    public static string? For(TokenOutcomeKind outcome) => outcome switch
    {
        TokenOutcomeKind.Protected => "Allow-listed, so not disabled automatically: decide, and disable it by hand if the leak is real.",
        TokenOutcomeKind.Denied => "Dynatrace refused our management credential (401/403): fix its scopes, then disable this token by hand.",
        TokenOutcomeKind.NotFound => "No configured environment or account knows this token: find where it lives and revoke it there.",
        TokenOutcomeKind.Unsupported => "No API can revoke this kind of token (e.g. an OAuth client secret): revoke or rotate it in Dynatrace by hand.",
        TokenOutcomeKind.CannotDisableOwnCredential => "This is our own management credential and no secondary is configured: rotate it by hand, then disable it.",
        TokenOutcomeKind.Unaddressable =>
            "Dynatrace did not accept this platform token's dt0s16 id and no search mapped it to the id the account uses: disable it in Account Management > Platform tokens (myaccount.dynatrace.com/platformTokens).",
        TokenOutcomeKind.SecretNotVerified =>
            "The id exists but the reported secret does not verify (altered or forged?): not disabled. If the leak is real, kill it by id (tokenfunctions kill <id>).",
        _ => null,
    };
}
