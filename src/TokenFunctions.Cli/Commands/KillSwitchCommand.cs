using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Cli.Commands;

/// <summary>
/// <c>kill-switch</c>: the incident queue's selector message, run in this process by the same
/// <see cref="IncidentProcessor"/> with the same progress store and ledger, so an interrupted run resumes where it
/// stopped and finished tokens are never acted on twice.
/// </summary>
internal static class KillSwitchCommand
{
    public const int DefaultConfirmAbove = 25;

    public static Command Create(CommandRunner runner)
    {
        var options = new KillSwitchCommandOptions();
        var command = new Command("kill-switch", """
            Disable every token a selector matches, across environments and accounts, page by page with durable progress:
            Ctrl+C and the same command again resumes without redoing finished tokens. A selector that matches more than
            --confirm-above tokens stops after a dry run unless --yes (exit code 3).

            Examples:
              tokenfunctions kill-switch --owner alice@example.com --dry-run
              tokenfunctions kill-switch --owner alice@example.com --yes --incident INC-42
              tokenfunctions kill-switch --environment prod --all --yes
              tokenfunctions kill-switch --user 6f1c2a5e-0000-4000-8000-000000000001
            """);
        options.AddTo(command);
        runner.SetAction(command, (context, parse, cancellationToken) => RunAsync(context, parse, options, cancellationToken));
        return command;
    }

    /// <summary>The selector message from the options, run as a dry run, a confirmed run, or a dry run that stops for <c>--yes</c>.</summary>
    private static async Task<int> RunAsync(CliContext context, ParseResult parse, KillSwitchCommandOptions options, CancellationToken cancellationToken)
    {
        var selector = options.Selector(parse);

        // A --sandbox run starts a fresh sandbox: resuming yesterday's incident against it would skip its new tokens.
        var incidentId = parse.GetValue(options.Incident) ?? (context.Sandbox ? LeakDefaults.NewIncidentId(context.Time) : DefaultIncidentId(selector, context.Time));
        var message = new KillSwitchMessage
        {
            IncidentId = incidentId,
            Selector = selector,
            RequestedBy = CliContext.RequestedBy,
            Reason = parse.GetValue(options.Reason) ?? "kill-switch from the CLI",
            Source = LeakInputs.Source,
        };

        await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);

        // Checked here: the queue's answer to an unknown target is a dead-letter reason written for a queue.
        Targets.Require(session, selector.Environment, "--environment", accounts: false);
        Targets.Require(session, selector.Account, "--account", environments: false);
        if (parse.GetValue(options.DryRun))
        {
            var dry = await RunSelectorAsync(context, session, message with { DryRun = true }, cancellationToken).ConfigureAwait(false);
            Write(context, dry.Report);
            return dry.ExitCode;
        }

        if (!parse.GetValue(options.Yes)
            && await StopForConfirmationAsync(context, session, message, parse.GetValue(options.ConfirmAbove), cancellationToken).ConfigureAwait(false) is { } stopped)
        {
            return stopped;
        }

        var run = await RunSelectorAsync(context, session, message, cancellationToken).ConfigureAwait(false);
        Write(context, run.Report);
        return run.ExitCode;
    }

    /// <summary>
    /// Without <c>--yes</c>: a dry run first; when it matches more than <paramref name="confirmAbove"/> tokens (or the
    /// selector is unusable) its report and the exit code that stops the run, otherwise null (go ahead).
    /// </summary>
    private static async Task<int?> StopForConfirmationAsync(CliContext context, EngineSession session, KillSwitchMessage message, int confirmAbove, CancellationToken cancellationToken)
    {
        var dry = await RunSelectorAsync(context, session, message with { DryRun = true }, cancellationToken).ConfigureAwait(false);
        var matched = dry.Report.Succeeded + dry.Report.Settled + dry.Report.NeedsHumanCount;
        if (dry.ExitCode != ExitCodes.Usage && matched <= confirmAbove)
        {
            return null;
        }

        Write(context, dry.Report with
        {
            Note = dry.ExitCode == ExitCodes.Usage
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"The selector matches {matched} token(s), more than --confirm-above {confirmAbove}: nothing was disabled. Re-run with --yes to disable them."),
        });
        return dry.ExitCode == ExitCodes.Usage ? ExitCodes.Usage : ExitCodes.ConfirmationRequired;
    }

    /// <summary>Stable for one selector on one UTC day: the same command again resumes the same incident.</summary>
    internal static string DefaultIncidentId(KillSwitchSelector selector, TimeProvider time)
    {
        var key = string.Join('\n', selector.Owner, selector.Scope, selector.Environment, selector.Account, selector.PlatformUserUuid, selector.AllTokens);
        return "cli-kill-switch-" + time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Storage.StoreKeys.FileName(key)[..8];
    }

    /// <summary>
    /// The message through the same <see cref="IncidentProcessor"/> as the queue's, delivery after delivery while it asks
    /// to be retried (up to the queue's delivery count), with the progress on the status line; then its report.
    /// </summary>
    private static async Task<(KillSwitchReport Report, int ExitCode)> RunSelectorAsync(CliContext context, EngineSession session, KillSwitchMessage message, CancellationToken cancellationToken)
    {
        var store = session.Get<IIncidentProgressStore>();
        IncidentProgress? latest = null;
        var reporting = new ReportingProgressStore(store, progress =>
        {
            latest = progress;
            ReportProgress(context, progress, message.DryRun);
        });
        var processor = ActivatorUtilities.CreateInstance<IncidentProcessor>(session.Services, reporting);
        await using var status = StatusLine.Start(context.Console, context.Time, () => latest is null
            ? $"{(message.DryRun ? "dry run: " : string.Empty)}listing the tokens the selector matches…"
            : "kill-switch: " + Counts(latest, message.DryRun));
        var body = IncidentMessageSerializer.ToJson(message);
        var workId = IncidentMessageSerializer.WorkIdOf(message);

        // The same message id every run: the lease a killed run left behind belongs to the next run of the same command.
        var messageId = IncidentMessageSerializer.MessageIdFor(message.IncidentId, body);
        var maxDeliveries = session.Get<IOptions<IncidentsOptions>>().Value.MaxDeliveryCount;
        SettlementDecision decision = new SettlementDecision.Complete("not run");
        for (var delivery = 1; delivery <= maxDeliveries; delivery++)
        {
            decision = await processor.ProcessAsync(new IncomingIncidentMessage(body, messageId, delivery, context.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            if (decision is not SettlementDecision.Abandon)
            {
                break;
            }

            if (!context.Json)
            {
                context.Console.Error.WriteLine("continuing: " + decision.Summary);
            }
        }

        return await ReportAsync(context, store, message, workId, decision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's report from its stored progress, and the exit code its settlement calls for.</summary>
    private static async Task<(KillSwitchReport Report, int ExitCode)> ReportAsync(CliContext context, IIncidentProgressStore store, KillSwitchMessage message, string workId, SettlementDecision decision, CancellationToken cancellationToken)
    {
        var progress = await store.GetAsync(message.IncidentId, workId, cancellationToken).ConfigureAwait(false);
        var report = new KillSwitchReport(
            message.IncidentId,
            workId,
            message.DryRun,
            progress?.State.ToString() ?? "NotStarted",
            decision.Summary,
            progress?.Succeeded ?? 0,
            progress?.Settled ?? 0,
            progress?.NeedsHumanCount ?? 0,
            progress?.NeedsHuman ?? [],
            [.. (progress?.Cursors ?? []).Select(c => new KillSwitchTargetRow(c.Source, c.Listed, c.Finished, c.Retry.Count))],
            progress?.Deliveries ?? 0);
        if (decision.Summary.StartsWith("duplicate of completed", StringComparison.Ordinal))
        {
            report = report with { Note = $"Incident {message.IncidentId} had already completed this selector; nothing was done again. Pass a new --incident to run it again." };
        }

        var exit = decision switch
        {
            SettlementDecision.Complete when report.NeedsHumanCount > 0 => ExitCodes.NeedsHuman,
            SettlementDecision.Complete => ExitCodes.Ok,
            SettlementDecision.DeadLetter { Reason: DeadLetterReasons.UnknownTarget or DeadLetterReasons.SchemaViolation or DeadLetterReasons.InvalidJson } => ExitCodes.Usage,
            SettlementDecision.DeadLetter => ExitCodes.NeedsHuman,
            _ => context.Unanswered.Failed.Count > 0 ? ExitCodes.Unreachable : ExitCodes.Error,
        };
        if (exit == ExitCodes.Usage)
        {
            context.Console.Error.WriteLine("error: " + decision.Summary);
        }

        return (report, exit);
    }

    /// <summary>Off a terminal (a log, CI) one line per checkpoint; on a terminal the status line shows the same in place.</summary>
    private static void ReportProgress(CliContext context, IncidentProgress progress, bool dryRun)
    {
        if (context.Json || context.Console.ErrorIsTerminal || progress.State != IncidentProgressState.InProgress || progress.Succeeded + progress.Settled + progress.NeedsHumanCount == 0)
        {
            return;
        }

        context.Console.Error.WriteLine("progress: " + Counts(progress, dryRun));
    }

    private static string Counts(IncidentProgress progress, bool dryRun) => string.Create(
        CultureInfo.InvariantCulture,
        $"{progress.Cursors.Sum(c => c.Listed)} listed, {progress.Succeeded} {(dryRun ? "would be disabled" : "disabled")}, {progress.Settled} settled, {progress.NeedsHumanCount} need a human");

    private static void Write(CliContext context, KillSwitchReport report)
    {
        CommandRunner.Write(context, report, CliJsonContext.Default.KillSwitchReport);
    }
}

/// <summary>The options of <c>kill-switch</c>: the selector, the confirmation and the audit fields.</summary>
internal sealed class KillSwitchCommandOptions
{
    public Option<string?> Owner { get; } = new("--owner") { Description = "Classic tokens owned by this user (Dynatrace owner(\"…\"), case-sensitive)." };

    public Option<string?> Scope { get; } = new("--scope") { Description = "Classic tokens with this scope (ANDed with --owner)." };

    public Option<string?> Environment { get; } = new("--environment") { Description = "Only this configured environment; alone it needs --all." };

    public Option<string?> Account { get; } = new("--account") { Description = "Only this configured account; alone it needs --all." };

    public Option<string?> User { get; } = new("--user") { Description = "Platform tokens of this user (UUID)." };

    public Option<bool> All { get; } = new("--all") { Description = "Confirms every token of the named --environment or --account." };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "List and decide, disable nothing." };

    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Proceed even when the selector matches more than --confirm-above tokens." };

    public Option<int> ConfirmAbove { get; } = new("--confirm-above") { Description = "Above this many matches, stop after the dry run unless --yes.", DefaultValueFactory = _ => KillSwitchCommand.DefaultConfirmAbove };

    public Option<string?> Incident { get; } = new("--incident") { Description = "Incident id (default derived from the selector and the UTC day, so re-running resumes)." };

    public Option<string?> Reason { get; } = new("--reason") { Description = "Why, for the audit trail." };

    public void AddTo(Command command) => CommonOptions.AddTo(command, Owner, Scope, Environment, Account, User, All, DryRun, Yes, ConfirmAbove, Incident, Reason);

    /// <summary>The selector the options name; a usage error when they name none or <c>--user</c> is not a UUID.</summary>
    public KillSwitchSelector Selector(ParseResult parse)
    {
        var selector = new KillSwitchSelector
        {
            Owner = parse.GetValue(Owner),
            Scope = parse.GetValue(Scope),
            Environment = parse.GetValue(Environment),
            Account = parse.GetValue(Account),
            PlatformUserUuid = parse.GetValue(User),
            AllTokens = parse.GetValue(All),
        };
        if (selector is { Owner: null, Scope: null, PlatformUserUuid: null } && !(selector.AllTokens && (selector.Environment ?? selector.Account) is not null))
        {
            throw CliException.Usage("give a selector: --owner, --scope, --user, or --environment/--account with --all.");
        }

        if (selector.PlatformUserUuid is { } uuid && !Guid.TryParseExact(uuid, "D", out _))
        {
            throw CliException.Usage("--user must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
        }

        return selector;
    }
}
