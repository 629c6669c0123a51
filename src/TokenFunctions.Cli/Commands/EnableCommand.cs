using System.CommandLine;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.KillSwitch;
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
        var incident = new Option<string?>("--incident") { Description = "Incident id for the audit record (default cli-<time>-<random>)." };
        var command = new Command("enable", """
            Enable a token again that was disabled by mistake (a false positive). Audited with who asked and why.

            Example:
              tokenfunctions enable dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX --reason "test fixture, not a real leak" --incident INC-42
            """);
        command.Arguments.Add(token);
        command.Options.Add(environment);
        command.Options.Add(reason);
        command.Options.Add(incident);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var text = parse.GetValue(token) ?? string.Empty;
            var id = TokenId.TryParse(text, out var parsed) ? parsed
                : TokenSecret.TryParse(text, out var secret) ? secret.Id
                : throw new CliUsageException("token-id is not a Dynatrace token id (dt0c01.PUBLIC).");
            await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
            var incidentId = parse.GetValue(incident) ?? LeakDefaults.NewIncidentId(context.Time);
            var outcome = await session.Get<IKillSwitch>().EnableAsync(id, parse.GetValue(environment), incidentId, CliContext.RequestedBy, parse.GetValue(reason) ?? "false positive", cancellationToken).ConfigureAwait(false);
            var report = new KillReport(incidentId, false, [OutcomeRow.From(outcome)]);
            KillCommand.Write(context, report);
            return outcome.Outcome is TokenOutcomeKind.Enabled or TokenOutcomeKind.WouldEnable ? ExitCodes.Ok : ExitCodes.NeedsAttention;
        });
        return command;
    }
}
