using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Incidents;

/// <summary>Refuses settings that would make the queue lose work or loop, at startup rather than on the first incident.</summary>
internal sealed partial class IncidentsOptionsValidator : IValidateOptions<IncidentsOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentsOptions options)
    {
        var failures = new List<string>();
        ValidateLimits(options, failures);
        ValidateRetry(options.Retry, failures);
        ValidateStorage(options.Storage, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateLimits(IncidentsOptions options, List<string> failures)
    {
        if (options.MaxDeliveryCount is < 1 or > 2000)
        {
            failures.Add("Incidents:MaxDeliveryCount must be between 1 and 2000 and equal the queue's maxDeliveryCount.");
        }

        if (options.WorkBudgetPerDelivery <= TimeSpan.Zero)
        {
            failures.Add("Incidents:WorkBudgetPerDelivery must be positive, e.g. 00:04:00.");
        }

        if (options.LeaseGrace < TimeSpan.Zero)
        {
            failures.Add("Incidents:LeaseGrace must not be negative.");
        }

        if (options.PageSize is < 100 or > 10_000)
        {
            failures.Add("Incidents:PageSize must be between 100 and 10000 (Dynatrace's limits for listing tokens).");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add("Incidents:BatchSize must be between 1 and 1000.");
        }

        if (options.MaxTokensPerMessage is < 1 or > 100_000)
        {
            failures.Add("Incidents:MaxTokensPerMessage must be between 1 and 100000.");
        }

        if (options.MaxMessageBytes < 4096)
        {
            failures.Add("Incidents:MaxMessageBytes must be at least 4096.");
        }
    }

    private static void ValidateRetry(IncidentRetryOptions retry, List<string> failures)
    {
        if (retry.FirstDelay <= TimeSpan.Zero || retry.MaxDelay < retry.FirstDelay || retry.Horizon < retry.FirstDelay)
        {
            failures.Add("Incidents:Retry needs FirstDelay > 0, MaxDelay >= FirstDelay and Horizon >= FirstDelay (defaults 00:00:30, 01:00:00, 1.00:00:00).");
        }

        if (retry.Jitter is < 0 or > 1 || double.IsNaN(retry.Jitter))
        {
            failures.Add("Incidents:Retry:Jitter must be between 0 and 1.");
        }
    }

    private static void ValidateStorage(IncidentStorageOptions storage, List<string> failures)
    {
        var stores = (storage.InMemory ? 1 : 0) + (string.IsNullOrWhiteSpace(storage.ConnectionString) ? 0 : 1) + (storage.ServiceUri is null ? 0 : 1);
        if (stores != 1)
        {
            failures.Add("Set exactly one of Incidents:Storage:ServiceUri (managed identity), Incidents:Storage:ConnectionString, or Incidents:Storage:InMemory=true (local runs only): the ledger is what stops redeliveries acting twice.");
        }

        if (!TableName().IsMatch(storage.LedgerTable) || !TableName().IsMatch(storage.ProgressTable) || string.Equals(storage.LedgerTable, storage.ProgressTable, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Incidents:Storage:LedgerTable and ProgressTable must be two different table names (a letter, then 2 to 62 letters or digits).");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();
}
