using System.CommandLine;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Commands;

/// <summary>
/// <c>status</c>: the pre-flight after a deployment. Each environment: its management credential looked up by itself
/// (any scope may call lookup), so reachability, validity and scopes are read without writing anything. Each account:
/// an OAuth bearer and one listed page. Then the audit store.
/// </summary>
internal static class StatusCommand
{
    private static readonly string[] V2Scopes = ["apiTokens.read", "apiTokens.write"];

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("status", """
            Check every configured environment and account: reachable, management credential valid, scopes sufficient;
            and the audit store. Exit code 7 when a target is unreachable, 3 when a credential is invalid, 5 when scopes are missing.

            Example:
              tokenfunctions status --config local.settings.json
            """);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
            var directory = session.Get<IDynatraceDirectory>();
            if (directory.Environments.Count + directory.Accounts.Count == 0)
            {
                throw CliException.Configuration("no Dynatrace environment or account is configured (Dynatrace:Environments, Dynatrace:Accounts).");
            }

            var credentials = session.Get<ICredentialProvider>();
            var checks = directory.Environments.Select(e => CheckEnvironmentAsync(e, credentials, cancellationToken))
                .Concat(directory.Accounts.Select(a => CheckAccountAsync(a, cancellationToken)))
                .Append(CheckAuditAsync(session.Get<IAuditQuery>(), context.Time, cancellationToken));
            var report = new StatusReport(await Task.WhenAll(checks).ConfigureAwait(false));
            CommandRunner.Write(context, report, CliJsonContext.Default.StatusReport);

            return ExitCodes.Combine(report.Targets.Select(t =>
                !t.Reachable ? ExitCodes.Unreachable : !t.CredentialValid ? ExitCodes.Authentication : !t.ScopesSufficient ? ExitCodes.Permission : ExitCodes.Ok));
        });
        return command;
    }

    private static async Task<StatusRow> CheckEnvironmentAsync(IEnvironmentTokenClient client, ICredentialProvider credentials, CancellationToken cancellationToken)
    {
        var environment = client.Environment;
        var target = "environment:" + environment.Name;
        string value;
        try
        {
            value = await credentials.GetAsync(environment.Credential, cancellationToken).ConfigureAwait(false);
        }
        catch (ManagementCredentialUnavailableException ex)
        {
            return new StatusRow(target, Reachable: true, false, false, [], "credential unavailable: " + Redaction.Redact(ex.Message));
        }

        if (!TokenSecret.TryParse(value, out var secret))
        {
            return new StatusRow(target, true, false, false, [], $"the credential ({environment.Credential}) is not a Dynatrace token");
        }

        var result = await client.LookupAsync(secret, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            DynatraceStatus.Ok when result.Value is { } info => Evaluate(target, environment, info),
            DynatraceStatus.Unauthorized or DynatraceStatus.NotFound => new StatusRow(target, true, false, false, [], $"{result.Status}: the credential {secret.Id} is wrong, disabled or expired"),
            DynatraceStatus.Forbidden => new StatusRow(target, true, true, false, [], "Forbidden: the credential may not look itself up"),
            _ => new StatusRow(target, false, false, false, [], $"{result.Status}: {Redaction.Redact(result.Error?.ToString())}"),
        };
    }

    private static StatusRow Evaluate(string target, DynatraceEnvironment environment, ApiTokenInfo info)
    {
        var required = environment.DisableApi == DisableApi.V1 ? [.. V2Scopes, "TenantTokenManagement"] : V2Scopes;
        var missing = required.Where(s => !info.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
        var valid = info.Enabled && (info.ExpirationDate is null || info.ExpirationDate > DateTimeOffset.UtcNow);
        var detail = $"{info.Id} ({info.Name ?? "unnamed"}){(info.ExpirationDate is { } expires ? $", expires {expires:yyyy-MM-dd}" : string.Empty)}";
        if (!info.Enabled)
        {
            detail += ", DISABLED";
        }

        return new StatusRow(target, true, valid, missing.Count == 0, missing, detail);
    }

    private static async Task<StatusRow> CheckAccountAsync(IAccountTokenClient client, CancellationToken cancellationToken)
    {
        var target = "account:" + client.Account.Name;
        // Two per page: the sizes the client sends for the two paging pairs then differ, so the echo names the pair the server reads.
        var result = await client.ListAsync(new PlatformTokenQuery(Page: null, Size: 2), cancellationToken).ConfigureAwait(false);

        // UNCONFIRMED: a successful list proves the read scope only; the write scope shows on the first disable.
        var readings = client.Readings.Describe();
        return result.Status switch
        {
            DynatraceStatus.Ok => new StatusRow(target, true, true, true, [],
                $"client {client.Account.ClientId}: bearer issued, platform tokens listed ({result.Value?.Total ?? 0} total); write scope not verifiable without a write; readings met: {readings}"),
            DynatraceStatus.Unauthorized => new StatusRow(target, true, false, false, [], $"Unauthorized: client {client.Account.ClientId} or its secret is wrong"),
            DynatraceStatus.Forbidden when result.Error?.RejectedScopes is { Count: > 0 } rejected => new StatusRow(
                target, true, true, false, rejected,
                $"invalid_scope: client {client.Account.ClientId} was not granted {string.Join(' ', rejected)}; grant it in Account Management or remove it from Dynatrace:Accounts:N:Scopes"),
            DynatraceStatus.Forbidden => new StatusRow(target, true, true, false, [],
                $"Forbidden: client {client.Account.ClientId} lacks a scope ({string.Join(" or ", client.Account.ScopeFamilies.Select(f => f.Scopes))}); readings met: {readings}"),
            _ => new StatusRow(target, false, false, false, [], $"{result.Status}: {Redaction.Redact(result.Error?.ToString())}"),
        };
    }

    private static async Task<StatusRow> CheckAuditAsync(IAuditQuery audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await audit.QueryAsync(AuditQuery.ForTimeRange(now.AddMinutes(-1), now) with { Limit = 1 }, cancellationToken).ConfigureAwait(false);
            return new StatusRow("audit store", true, true, true, [], null);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or IOException or UnauthorizedAccessException or Azure.Identity.AuthenticationFailedException)
        {
            return new StatusRow("audit store", false, false, false, [], $"{ex.GetType().Name}: {Redaction.Redact(ex.Message)}");
        }
    }
}
