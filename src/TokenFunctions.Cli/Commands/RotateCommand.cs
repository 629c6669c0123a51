using System.CommandLine;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Rotation;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>rotate</c>: the managed-credential rotation of one Key Vault secret, as the timer and the queue run it.</summary>
internal static class RotateCommand
{
    public static Command Create(CommandRunner runner)
    {
        var name = new Argument<string>("secret-name") { Description = "The Key Vault secret of the managed credential." };
        var incident = new Option<string?>("--incident") { Description = "Correlation id for the audit records (default cli-<time>-<random>)." };
        var command = new Command("rotate", """
            Rotate a managed credential now: create the replacement token, verify it, store it as a new Key Vault version,
            and retire the old one after its overlap. Needs KeyVault:VaultUri and Azure credentials (DefaultAzureCredential).

            Example:
              tokenfunctions rotate dt-prod-ingest --incident INC-42
            """);
        command.Arguments.Add(name);
        command.Options.Add(incident);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
            var result = await session.Get<IRotationService>().RotateAsync(
                new RotationRequest
                {
                    SecretName = parse.GetValue(name)!,
                    Trigger = RotationTrigger.Manual,
                    CorrelationId = parse.GetValue(incident) ?? LeakDefaults.NewIncidentId(context.Time),
                    Source = LeakInputs.Source,
                    RequestedBy = CliContext.RequestedBy,
                },
                cancellationToken).ConfigureAwait(false);
            var report = new RotateReport(result.SecretName, result.Outcome.ToString(), result.Succeeded, result.OldTokenId?.Value, result.NewTokenId?.Value, result.SecretId, result.Detail);
            CommandRunner.Write(context, report, CliJsonContext.Default.RotateReport);

            return result.Succeeded ? ExitCodes.Ok : ExitCodes.NeedsAttention;
        });
        return command;
    }
}
