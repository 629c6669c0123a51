using System.CommandLine;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Cli.Sandbox;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Commands;

/// <summary>
/// <c>demo</c>: the product's main job end to end on a fresh machine. A seeded sandbox in this process, a token it
/// generates planted in a temporary file, <c>scan --kill</c> on that file, the sandbox's confirmation that the token is
/// disabled, and the token's audit trail (kept in the state folder, so <c>audit --sandbox --since 1h</c> reads it later).
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("demo", """
            Watch a leaked token get disabled, end to end, with nothing to install: starts the loopback Dynatrace sandbox,
            plants a freshly generated token in a temporary file, runs `scan --kill` on it, confirms from the sandbox that
            the token is disabled and prints its audit trail.

            Examples:
              tokenfunctions demo
              tokenfunctions audit --sandbox --since 1h
            """);
        runner.SetAction(command, (context, _, cancellationToken) => RunAsync(context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var sandbox = await CliSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var session = await EngineSession.StartAsync(context, cancellationToken, sandbox).ConfigureAwait(false);
        var leaked = sandbox.AddLeakableToken("prod", "ci-pipeline-token");
        var folder = Directory.CreateTempSubdirectory("tokenfunctions-demo-");
        try
        {
            var planted = await PlantAsync(context, sandbox, leaked, folder, cancellationToken).ConfigureAwait(false);
            var report = await ScanAndKillAsync(context, session, planted, cancellationToken).ConfigureAwait(false);
            var disabled = ConfirmDisabled(context, sandbox, leaked);
            var audit = await ShowAuditTrailAsync(context, session, leaked, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                CommandRunner.WriteJson(context, new DemoReport(leaked.Id, planted, report, disabled, audit), CliJsonContext.Default.DemoReport);
            }

            return disabled && audit.Count > 0 ? ScanCommand.ExitCode(report) : ExitCodes.Combine(ExitCodes.Error, ScanCommand.ExitCode(report));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Step 1: the sandbox's new prod token, committed by mistake to a deploy.env in <paramref name="folder"/>.</summary>
    private static async Task<string> PlantAsync(CliContext context, CliSandbox sandbox, SandboxIssuedToken leaked, DirectoryInfo folder, CancellationToken cancellationToken)
    {
        var planted = Path.Combine(folder.FullName, "deploy.env");
        await File.WriteAllTextAsync(planted, $"# committed by mistake\nDT_URL={sandbox.Server.EnvironmentBaseUrl("prod")}\nDT_API_TOKEN={leaked.Secret}\n", cancellationToken).ConfigureAwait(false);
        if (!context.Json)
        {
            context.Console.Out.WriteLine($"1. Sandbox Dynatrace at {sandbox.Server.BaseUrl} (environments prod, dev). A token of prod, {leaked.Id}, was leaked into {planted}.");
        }

        return planted;
    }

    /// <summary>Step 2: <c>scan --kill</c> on the planted file, as the scan command runs it.</summary>
    private static async Task<ScanReport> ScanAndKillAsync(CliContext context, EngineSession session, string planted, CancellationToken cancellationToken)
    {
        var output = context.Console.Out;
        if (!context.Json)
        {
            output.WriteLine($"2. tokenfunctions scan {planted} --kill");
        }

        var scan = await ScanCommand.ScanAsync(context, [planted], maxFileBytes: null, cancellationToken).ConfigureAwait(false);
        var incidentId = LeakDefaults.NewIncidentId(context.Time);
        var report = ScanCommand.ToReport(scan) with
        {
            Kill = await ScanCommand.KillFoundAsync(context, session, scan, new LeakDefaults(incidentId, "demo: token committed to deploy.env", null, context.Time.GetUtcNow()), dryRun: false, cancellationToken).ConfigureAwait(false),
        };
        if (!context.Json)
        {
            report.WriteTable(output);
            output.WriteLine();
        }

        return report;
    }

    /// <summary>Step 3: the sandbox's own word on whether the token is now disabled.</summary>
    private static bool ConfirmDisabled(CliContext context, CliSandbox sandbox, SandboxIssuedToken leaked)
    {
        var disabled = sandbox.Server.Environment("prod").GetToken(leaked.Id) is { Enabled: false };
        if (!context.Json)
        {
            context.Console.Out.WriteLine(disabled
                ? $"3. The sandbox confirms: {leaked.Id} is now disabled in prod."
                : $"3. The sandbox says {leaked.Id} is still ENABLED in prod.");
        }

        return disabled;
    }

    /// <summary>Step 4: the token's audit trail (as a table here; with <c>-o json</c> in the demo's one document).</summary>
    private static async Task<AuditReport> ShowAuditTrailAsync(CliContext context, EngineSession session, SandboxIssuedToken leaked, CancellationToken cancellationToken)
    {
        var output = context.Console.Out;
        if (!context.Json)
        {
            output.WriteLine($"4. tokenfunctions audit --token {leaked.Id}");
        }

        var audit = await AuditCommand.ReadAsync(session, AuditQuery.ForToken(TokenId.Parse(leaked.Id)), context.Time, cancellationToken).ConfigureAwait(false);
        if (!context.Json)
        {
            audit.WriteTable(output);
            output.WriteLine();
            output.WriteLine("Read it again later: " + CliIdentity.Command("audit --sandbox --since 1h"));
        }

        return audit;
    }
}
