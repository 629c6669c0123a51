using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Cli.Storage;

/// <summary>
/// Which stores have Table Storage configured, and file stores in the state folder for those that do not: a laptop with
/// no Azurite still keeps its audit trail and resumable incident progress across runs.
/// </summary>
internal sealed record EmbeddedStores(string Directory, bool Audit, bool Incidents, bool Rotation)
{
    /// <summary>A sandbox drill: the store is the sandbox's, apart from real work.</summary>
    public bool Drill { get; init; }

    public bool Any => Audit || Incidents || Rotation;

    public string AuditPath => Path.Combine(Directory, "audit.jsonl");

    public static EmbeddedStores Decide(IConfiguration configuration, string directory) => new(
        directory,
        Audit: !Has(configuration, "Audit:ConnectionString") && !Has(configuration, "Audit:TableServiceUri"),
        Incidents: !Has(configuration, "Incidents:Storage:ConnectionString") && !Has(configuration, "Incidents:Storage:ServiceUri")
            && !string.Equals(configuration["Incidents:Storage:InMemory"], "true", StringComparison.OrdinalIgnoreCase),
        Rotation: !Has(configuration, "Rotation:State:ConnectionString") && !Has(configuration, "Rotation:State:ServiceUri")
            && !Has(configuration, "Rotation:State:Mode") && !Has(configuration, "AzureWebJobsStorage") && !Has(configuration, "AzureWebJobsStorage:tableServiceUri"));

    /// <summary>Settings that keep the engine from reaching for storage the CLI does not have.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(IConfiguration configuration)
    {
        if (Incidents)
        {
            // Passes the engine's "exactly one store" check; Register then puts the file stores where the memory ones would be.
            yield return new("Incidents:Storage:InMemory", "true");
        }

        if (Rotation)
        {
            // UNCONFIRMED need: a rotation interrupted in an embedded run cannot resume in the next one; the timer's Table store can.
            yield return new("Rotation:State:Mode", "InMemory");
        }

        if (!Has(configuration, "Sources:Ledger:ConnectionString") && !Has(configuration, "Sources:Ledger:ServiceUri") && !Has(configuration, "Sources:Ledger:Mode"))
        {
            // The webhooks' delivery ledger: no CLI command takes webhook deliveries.
            yield return new("Sources:Ledger:Mode", "InMemory");
        }
    }

    /// <summary>After <c>AddTokenFunctionsEngine</c>: replaces the Table-backed registrations of the embedded stores.</summary>
    public void Register(IServiceCollection services)
    {
        if (Audit)
        {
            services.RemoveAll<IAuditSink>();
            services.RemoveAll<IAuditQuery>();
            services.RemoveAll<IValidateOptions<AuditOptions>>();

            // Only the store changes: writes still go through the engine's AuditWriter, and its retry service drains into this file.
            services.AddSingleton(sp => new FileAuditStore(AuditPath, sp.GetRequiredService<IOptions<AuditOptions>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<FileAuditStore>());
            services.AddSingleton<IAuditQuery>(sp => sp.GetRequiredService<FileAuditStore>());
        }

        if (Incidents)
        {
            services.Replace(ServiceDescriptor.Singleton<IIncidentLedger>(new FileIncidentLedger(Path.Combine(Directory, "incidents", "ledger"))));
            services.Replace(ServiceDescriptor.Singleton<IIncidentProgressStore>(new FileIncidentProgressStore(Path.Combine(Directory, "incidents", "progress"))));
        }
    }

    /// <summary>The stderr note: which stores are embedded and where.</summary>
    public string Describe()
    {
        var names = new List<string>();
        if (Audit)
        {
            names.Add("audit trail");
        }

        if (Incidents)
        {
            names.Add("incident progress and ledger");
        }

        var text = Drill
            ? $"tokenfunctions: sandbox drill: using the embedded store for the {string.Join(" and ", names)} in {Directory}, apart from real work"
            : $"tokenfunctions: no Table Storage configured; using the embedded store for the {string.Join(" and ", names)} in {Directory}";
        if (Rotation)
        {
            text += "; rotation state is kept in memory";
        }

        return Drill
            ? text + "."
            : text + " (set Audit:ConnectionString and Incidents:Storage:ConnectionString, e.g. UseDevelopmentStorage=true for Azurite, to use Table Storage).";
    }

    private static bool Has(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
