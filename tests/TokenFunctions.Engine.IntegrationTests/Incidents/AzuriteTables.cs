using System.Security.Cryptography;
using Azure.Data.Tables;
using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Incident tables in Azurite (or the storage named by <c>TOKENFUNCTIONS_AZURITE</c>), with names unique to one test
/// class. Nothing is skipped: if the emulator is not reachable, the first storage call fails the test.
/// </summary>
public sealed class AzuriteTables : IAsyncLifetime
{
    public const string EnvironmentVariable = "TOKENFUNCTIONS_AZURITE";

    public AzuriteTables()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        Service = new TableServiceClient(connectionString, options);
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Tables = new IncidentTables(Service, "Ledger" + suffix, "Progress" + suffix);
    }

    public TableServiceClient Service { get; }

    public IncidentTables Tables { get; }

    public async ValueTask InitializeAsync() => await Tables.EnsureCreatedAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Service.DeleteTableAsync(Tables.Ledger.Name);
        await Service.DeleteTableAsync(Tables.Progress.Name);
    }
}
