using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace TokenFunctions.Engine.Storage;

/// <summary>
/// The one rule for choosing the Table Storage a store lives in: its own connection string, else its own service URI
/// (managed identity), else the Functions host's <c>AzureWebJobsStorage</c>, else, where the caller allows it,
/// <c>AzureWebJobsStorage:tableServiceUri</c> (identity-based host storage). Null when none is set: the caller says which
/// of its settings to set.
/// </summary>
internal static class TableStorage
{
    public static TableServiceClient? TryCreateService(string? connectionString, Uri? serviceUri, IConfiguration configuration, bool hostTableServiceUriFallback)
    {
        if (!string.IsNullOrEmpty(connectionString))
        {
            return new TableServiceClient(connectionString);
        }

        if (serviceUri is not null)
        {
            return new TableServiceClient(serviceUri, new DefaultAzureCredential());
        }

        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } storage)
        {
            return new TableServiceClient(storage);
        }

        // Only rotation state has fallen back to identity-based host storage so far; unifying the fallbacks would change
        // what a deployment without explicit settings does, so each caller keeps its own.
        if (hostTableServiceUriFallback && configuration["AzureWebJobsStorage:tableServiceUri"] is { Length: > 0 } tableUri)
        {
            return new TableServiceClient(new Uri(tableUri), new DefaultAzureCredential());
        }

        return null;
    }
}
