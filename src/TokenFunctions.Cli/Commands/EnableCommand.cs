using System.CommandLine;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>enable</c>: undo a false positive; audited like every disable.</summary>
internal static class EnableCommand
{
    public static Command Create(CommandRunner runner)
    {
        var token = new Argument<string>("token-id") { Description = "The token id (dt0c01.PUBLIC) to enable again." };
        var environment = new Option<string?>("--environment") { Description = "The configured environment or account that owns it (skips the search)." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail (default \"false positive\")." };
        var incident = CommonOptions.Incident("Incident id for the audit record");
        var dryRunOption = new Option<bool>("--dry-run") { Description = "Find the token and decide, but call no write endpoint (audited as a dry run)." };
        var command = new Command("enable", """
            Enable a token again that was disabled by mistake (a false positive). Audited with who asked and why.

            Examples:
              tokenfunctions enable dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX --dry-run
              tokenfunctions enable dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX --reason "test fixture, not a real leak" --incident INC-42
            """);
        command.Arguments.Add(token);
        command.Options.Add(environment);
        command.Options.Add(reason);
        command.Options.Add(incident);
        command.Options.Add(dryRunOption);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var text = parse.GetValue(token) ?? string.Empty;
            var id = TokenId.TryParse(text, out var parsed) ? parsed
                : TokenSecret.TryParse(text, out var secret) ? secret.Id
                : throw CliException.Usage("token-id is not a Dynatrace token id (dt0c01.PUBLIC).");
            var dryRun = parse.GetValue(dryRunOption);

            // The engine's switch for a dry run of an enable is its global one: on for this run only.
            await using var session = await EngineSession.StartAsync(context, cancellationToken, overrides: dryRun ? new Dictionary<string, string?> { ["KillSwitch:DryRun"] = "true" } : null).ConfigureAwait(false);
            Targets.Require(session, parse.GetValue(environment), "--environment");
            var incidentId = CommonOptions.IncidentId(parse, incident, context.Time);
            var outcome = await session.Get<IKillService>().EnableAsync(id, parse.GetValue(environment), incidentId, CliContext.RequestedBy, parse.GetValue(reason) ?? "false positive", cancellationToken).ConfigureAwait(false);
            var report = new KillReport(incidentId, dryRun, [OutcomeRow.From(outcome)]) { Verb = "enabled" };
            KillCommand.Write(context, report);
            return report.ExitCode;
        });
        return command;
    }
}
