using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>One distinct token of a batch: the first report of it, plus what later duplicate reports added.</summary>
internal sealed class KillItem(int index, Leak leak, TokenSecret? secret, bool dryRun)
{
    public int Index => index;

    /// <summary>The first report: its source, correlation id and hint speak for the token.</summary>
    public Leak Leak => leak;

    public TokenId Id => leak.TokenId;

    public TokenSecret? Secret { get; private set; } = secret;

    public string? Fingerprint => Secret?.Fingerprint;

    /// <summary>Dry only when every report of the token asked for a dry run.</summary>
    public bool DryRun { get; private set; } = dryRun;

    public int Reports { get; private set; } = 1;

    public void Merge(TokenSecret? secret, bool dryRun)
    {
        Reports++;
        Secret ??= secret;
        DryRun &= dryRun;
    }
}
