using System.Diagnostics;
using System.Globalization;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Cli.Commands;

/// <summary>The engine's kill on a batch of leaks: targets searched in parallel, one typed outcome per token.</summary>
internal static class KillExecution
{
    public static async Task<KillReport> RunAsync(CliContext context, EngineSession session, IReadOnlyList<Leak> leaks, bool dryRun, string incidentId, CancellationToken cancellationToken)
    {
        // A token given both as a secret and as an id counts once; the secret is kept (it allows lookup by secret).
        var distinct = leaks.GroupBy(l => l.TokenId).Select(g => g.FirstOrDefault(l => l.Secret is not null) ?? g.First()).ToList();
        var directory = session.Get<IDynatraceDirectory>();
        var started = Stopwatch.GetTimestamp();
        KillResult result;
        await using (StatusLine.Start(context.Console, context.Time, () => string.Create(
            CultureInfo.InvariantCulture,
            $"{(dryRun ? "dry run: " : string.Empty)}finding the owners of {distinct.Count} token(s) in {directory.Environments.Count} environment(s) and {directory.Accounts.Count} account(s) and {(dryRun ? "deciding" : "disabling")}… {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s")))
        {
            result = await session.Get<IKillService>().DisableAsync(new KillRequest(distinct) { DryRun = dryRun }, cancellationToken).ConfigureAwait(false);
        }

        return new KillReport(incidentId, dryRun, [.. result.Outcomes.Select(OutcomeRow.From)]);
    }
}
