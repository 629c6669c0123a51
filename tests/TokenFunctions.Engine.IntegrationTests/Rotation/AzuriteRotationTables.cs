using System.Security.Cryptography;
using Azure.Data.Tables;

namespace TokenFunctions.Engine.IntegrationTests.Rotation;

/// <summary>
/// Azurite's table service for rotation-state tests: connection string from <c>TOKENFUNCTIONS_AZURITE</c> (default
/// <c>UseDevelopmentStorage=true</c>), a random table per test. Fails, never skips, when Azurite does not answer.
/// </summary>
internal static class AzuriteRotationTables
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public static string NewTableName() => "rotation" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static async Task<TableClient> NewTableAsync(CancellationToken cancellationToken)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        var table = new TableServiceClient(ConnectionString, options).GetTableClient(NewTableName());
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            throw new InvalidOperationException(
                $"Azurite's table service is unreachable ({ex.GetType().Name}). Start Azurite on 127.0.0.1:10000-10002 (see .ci/run) or set TOKENFUNCTIONS_AZURITE.", ex);
        }

        return table;
    }
}
