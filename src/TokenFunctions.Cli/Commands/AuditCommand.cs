using System.CommandLine;
using Microsoft.Extensions.Options;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Primitives;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>audit</c>: the audit trail through the engine's <see cref="IAuditQuery"/> (Table Storage or the embedded store).</summary>
internal static class AuditCommand
{
    public static Command Create(CommandRunner runner)
    {
        var token = new Option<string?>("--token") { Description = "Everything about this token id." };
        var incident = new Option<string?>("--incident") { Description = "Everything about this incident (correlation) id." };
        var since = new Option<string?>("--since") { Description = "Records from this long ago until now: 90s, 30m, 1h, 7d." };
        var limit = new Option<int?>("--limit") { Description = "At most this many records (newest first)." };
        var command = new Command("audit", """
            Read the audit trail: every decision with token ids, fingerprints, owner, who asked and why; never a secret.

            Examples:
              tokenfunctions audit --since 1h
              tokenfunctions audit --token dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
              tokenfunctions audit --incident INC-42 --output json
            """);
        command.Options.Add(token);
        command.Options.Add(incident);
        command.Options.Add(since);
        command.Options.Add(limit);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            if (parse.GetValue(token) is null && parse.GetValue(incident) is null && parse.GetValue(since) is null)
            {
                throw CliException.Usage("say what to read: --token ID, --incident ID or --since DURATION (e.g. --since 1h); --limit N caps the records.");
            }

            var query = new AuditQuery { IncidentId = parse.GetValue(incident), Limit = parse.GetValue(limit) };
            if (parse.GetValue(token) is { } tokenText)
            {
                query = query with
                {
                    TokenId = TokenId.TryParse(tokenText, out var id) ? id
                        : TokenSecret.TryParse(tokenText, out var secret) ? secret.Id
                        : throw CliException.Usage("--token is not a Dynatrace token id (dt0c01.PUBLIC)."),
                };
            }

            if (parse.GetValue(since) is { } sinceText)
            {
                query = query with { From = Duration.TryParseInput(sinceText, out var span) ? context.Time.GetUtcNow() - span : throw CliException.Usage("--since must be a duration such as 30m, 1h or 7d.") };
            }

            await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
            var report = await ReadAsync(session, query, context.Time, cancellationToken).ConfigureAwait(false);
            Write(context, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<AuditReport> ReadAsync(EngineSession session, AuditQuery query, TimeProvider time, CancellationToken cancellationToken)
    {
        var options = session.Get<IOptions<AuditOptions>>().Value;
        if (query.Validate(options, time.GetUtcNow()) is { } problem)
        {
            // The engine words its checks for the HTTP query; say them in this command's options.
            throw CliException.Usage(problem
                .Replace("a tokenId or an incidentId", "--token or --incident", StringComparison.Ordinal)
                .Replace("The time range", "--since", StringComparison.Ordinal)
                .Replace("narrow it or ask by tokenId or incidentId", "use a shorter --since, or --token or --incident", StringComparison.Ordinal)
                .Replace("tokenId", "--token", StringComparison.Ordinal)
                .Replace("incidentId", "--incident", StringComparison.Ordinal)
                .Replace("limit must", "--limit must", StringComparison.Ordinal));
        }

        var wanted = query.Limit ?? options.DefaultQueryLimit;
        var records = new List<AuditRecordDto>();
        var audit = session.Get<IAuditQuery>();
        var page = query with { Limit = Math.Min(wanted, options.MaxQueryLimit) };
        while (true)
        {
            var result = await audit.QueryAsync(page, cancellationToken).ConfigureAwait(false);
            records.AddRange(result.Entries.Select(AuditRecordDto.From));
            if (result.Continuation is null || records.Count >= wanted)
            {
                break;
            }

            page = page with { Continuation = result.Continuation };
        }

        return new AuditReport(Math.Min(records.Count, wanted), [.. records.Take(wanted)]);
    }

    public static void Write(CliContext context, AuditReport report)
    {
        CommandRunner.Write(context, report, CliJsonContext.Default.AuditReport);
    }
}
