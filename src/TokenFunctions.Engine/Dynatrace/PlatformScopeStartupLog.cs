using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// At startup, says for every account which OAuth scope family the app will ask for (reference §10 leaves it open) and,
/// once known, which one the client holds (event 4121 then repeats it whenever the readings met change). No request is
/// made here: the first platform-token call fetches the bearer.
/// </summary>
public sealed partial class PlatformScopeStartupLog(IDynatraceDirectory directory, ILogger<PlatformScopeStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var client in directory.Accounts)
        {
            var families = client.Account.ScopeFamilies;
            LogPlan(
                client.Account.Name,
                string.Join(", then ", families.Select(f => f.ToString())),
                client.Readings.ScopeFamily ?? "none yet (the first platform-token call fetches the bearer)");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4123, Level = LogLevel.Information, Message = "Dynatrace account {Account}: OAuth scopes asked for: {Families}; held: {Held}")]
    private partial void LogPlan(string account, string families, string held);
}
