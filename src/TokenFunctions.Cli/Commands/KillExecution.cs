using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Cli.Commands;

/// <summary>The engine's kill-switch on a batch of leaks: owners resolved in parallel, one typed outcome per token.</summary>
internal static class KillExecution
{
    public static async Task<KillReport> RunAsync(EngineSession session, IReadOnlyList<Leak> leaks, bool dryRun, string incidentId, CancellationToken cancellationToken)
    {
        // A token given both as a secret and as an id counts once; the secret is kept (it allows lookup by secret).
        var distinct = leaks.GroupBy(l => l.TokenId).Select(g => g.FirstOrDefault(l => l.Secret is not null) ?? g.First()).ToList();
        var result = await session.Get<IKillSwitch>().DisableAsync(new KillSwitchRequest(distinct) { DryRun = dryRun }, cancellationToken).ConfigureAwait(false);
        return new KillReport(incidentId, dryRun, [.. result.Outcomes.Select(OutcomeRow.From)]);
    }
}
