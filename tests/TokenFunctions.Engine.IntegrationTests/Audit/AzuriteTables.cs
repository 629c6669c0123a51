using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.IntegrationTests.Audit;

/// <summary>
/// Azurite's table endpoint for one test class: connection string from <c>TOKENFUNCTIONS_AZURITE</c> (default
/// <c>UseDevelopmentStorage=true</c>), a random table-name prefix per class, every table it handed out deleted at the end.
/// Fails, never skips, when Azurite does not answer.
/// </summary>
public sealed class AzuriteTables : IAsyncLifetime
{
    private readonly List<string> _tables = [];
    private int _next;

    public string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public string Prefix { get; } = "audit" + RandomNumberGenerator.GetHexString(10, lowercase: true);

    public TableServiceClient Service { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        Service = new TableServiceClient(ConnectionString, options);
        try
        {
            var probe = NewTableName();
            await Service.CreateTableIfNotExistsAsync(probe);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"Azurite's table service is unreachable ({ex.GetType().Name}). Start Azurite on 127.0.0.1:10000-10002 (see .ci/run) or set TOKENFUNCTIONS_AZURITE.",
                ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var table in _tables)
        {
            try
            {
                await Service.DeleteTableAsync(table);
            }
            catch (Azure.RequestFailedException)
            {
                // Already gone; Azurite runs in memory in CI anyway.
            }
        }
    }

    /// <summary>A fresh table name under this class's prefix.</summary>
    public string NewTableName()
    {
        var name = Prefix + "t" + Interlocked.Increment(ref _next);
        lock (_tables)
        {
            _tables.Add(name);
        }

        return name;
    }

    public AuditOptions Options(string? tableName = null) => new()
    {
        ConnectionString = ConnectionString,
        TableName = tableName ?? NewTableName(),
    };

    public AuditTableStore NewStore(TimeProvider timeProvider, AuditOptions? options = null) =>
        new(Service, Microsoft.Extensions.Options.Options.Create(options ?? Options()), timeProvider);

    /// <summary>Every entity in the store's table, bypassing the query API.</summary>
    public async Task<List<TableEntity>> RawAsync(AuditTableStore store)
    {
        var all = new List<TableEntity>();
        await foreach (var entity in Service.GetTableClient(store.TableName).QueryAsync<TableEntity>())
        {
            all.Add(entity);
        }

        return all;
    }
}
