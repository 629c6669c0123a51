using System.CommandLine;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Rotation;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>rotate</c>: the managed-credential rotation of one Key Vault secret, as the timer and the queue run it.</summary>
internal static class RotateCommand
{
    public static Command Create(CommandRunner runner)
    {
        var name = new Argument<string>("secret-name") { Description = "The Key Vault secret of the managed credential." };
        var incident = CommonOptions.Incident("Correlation id for the audit records");
        var dryRun = new Option<bool>("--dry-run") { Description = "Read the credential's Key Vault tags and say what a rotation would do; create and write nothing." };
        var command = new Command("rotate", """
            Rotate a managed credential now: create the replacement token, verify it, store it as a new Key Vault version,
            and retire the old one after its overlap. Needs KeyVault:VaultUri and Azure credentials (DefaultAzureCredential).

            Examples:
              tokenfunctions rotate dt-prod-ingest --dry-run
              tokenfunctions rotate dt-prod-ingest --incident INC-42
            """);
        command.Arguments.Add(name);
        command.Options.Add(incident);
        command.Options.Add(dryRun);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var secretName = parse.GetValue(name)!;
            await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(dryRun))
            {
                var planned = await PlanAsync(context, session, secretName, cancellationToken).ConfigureAwait(false);
                CommandRunner.Write(context, planned, CliJsonContext.Default.RotateReport);
                return ExitCodes.Ok;
            }

            var result = await session.Get<IRotationService>().RotateAsync(
                new RotationRequest
                {
                    SecretName = secretName,
                    Trigger = RotationTrigger.Manual,
                    CorrelationId = CommonOptions.IncidentId(parse, incident, context.Time),
                    Source = LeakInputs.Source,
                    RequestedBy = CliContext.RequestedBy,
                },
                cancellationToken).ConfigureAwait(false);
            var report = new RotateReport(result.SecretName, result.Outcome.ToString(), result.Succeeded, result.OldTokenId?.Value, result.NewTokenId?.Value, result.SecretId, result.Detail);
            CommandRunner.Write(context, report, CliJsonContext.Default.RotateReport);
            if (result.Outcome == RotationOutcome.Pending && context.Unanswered.Failed.Count == 0)
            {
                // Dynatrace targets that did not answer are named by the runner; what else stops a rotation is the vault.
                context.Console.Error.WriteLine($"unreachable: Key Vault {context.Configuration?["KeyVault:VaultUri"]}: {result.Detail}");
            }

            return ExitCodes.Of(result.Outcome);
        });
        return command;
    }

    /// <summary>The dry run: the credential as its Key Vault tags describe it, and the rotation they call for.</summary>
    private static async Task<RotateReport> PlanAsync(CliContext context, EngineSession session, string secretName, CancellationToken cancellationToken)
    {
        var snapshot = await session.Get<IManagedCredentialCatalog>().GetSnapshotAsync(refresh: true, cancellationToken).ConfigureAwait(false);
        var credential = snapshot.Get(secretName)
            ?? throw CliException.NotFound($"Key Vault {context.Configuration?["KeyVault:VaultUri"]} holds no managed credential named {secretName} (a secret with the tf- tags; see docs/rotation.md).");
        var policy = credential.Policy;
        return new RotateReport(
            secretName,
            "WouldRotate",
            true,
            credential.TokenId.Value,
            null,
            credential.SecretId,
            $"Dry run: would create a {policy.Kind} in {policy.Target} with the same scopes, verify it, store it as a new version of {secretName} and retire {credential.TokenId} after {policy.Overlap}; nothing was changed.");
    }
}
