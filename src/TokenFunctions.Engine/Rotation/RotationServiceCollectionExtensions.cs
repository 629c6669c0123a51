using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Storage;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Rotation;

public static class RotationServiceCollectionExtensions
{
    /// <summary>
    /// Managed credentials (<see cref="IManagedCredentialIndex"/> over Key Vault), rotation (<see cref="IRotationService"/>,
    /// <see cref="ILeakRotation"/>) and the four timer jobs (<see cref="ScheduledRotationJob"/>, <see cref="SweepJob"/>,
    /// <see cref="ReconciliationJob"/>, <see cref="HygieneReportJob"/>). Needs from other capabilities:
    /// <c>IDynatraceDirectory</c> and its HTTP clients (<c>AddDynatrace</c>) and <c>IAuditSink</c> (<c>AddAudit</c>).
    /// </summary>
    public static IServiceCollection AddRotation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RotationOptions>().Bind(configuration.GetSection(RotationOptions.SectionName))
            // The timer triggers bind the top-level settings (%RotationSchedule% ...); those win here too, so the
            // schedules validated at start-up are the ones the timers really run on.
            .Configure(o =>
            {
                o.Schedule = configuration["RotationSchedule"] ?? o.Schedule;
                o.SweepSchedule = configuration["SweepSchedule"] ?? o.SweepSchedule;
                o.ReconciliationSchedule = configuration["ReconciliationSchedule"] ?? o.ReconciliationSchedule;
                o.HygieneSchedule = configuration["HygieneSchedule"] ?? o.HygieneSchedule;
            })
            .Validate(o => RotationNames.IsValidInstance(o.InstanceName), "Rotation:InstanceName must be 1-32 lower-case letters, digits or '-'.")
            .Validate(o => Ncrontab.IsSixFieldExpression(o.Schedule) && Ncrontab.IsSixFieldExpression(o.SweepSchedule)
                    && Ncrontab.IsSixFieldExpression(o.ReconciliationSchedule) && Ncrontab.IsSixFieldExpression(o.HygieneSchedule),
                "RotationSchedule, SweepSchedule, ReconciliationSchedule and HygieneSchedule (or Rotation:Schedule, Rotation:SweepSchedule ...) must be six-field NCRONTAB expressions (sec min hour day month dow), e.g. \"0 0 3 * * *\".")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromMinutes(1) && o.DeleteGracePeriod >= TimeSpan.Zero && o.NearExpiryWindow >= TimeSpan.Zero && o.ExpiryMargin >= TimeSpan.Zero,
                "Rotation:LeaseDuration must be at least 1 minute; DeleteGracePeriod, NearExpiryWindow and ExpiryMargin must not be negative.")
            .Validate(o => o.MaxVerifyAttempts >= 1 && o.MaxRotationsPerRun >= 1, "Rotation:MaxVerifyAttempts and MaxRotationsPerRun must be at least 1.")
            .Validate(o => o.Hygiene.UnusedDays >= 1 && o.Hygiene.AutoDisableUnusedDays >= o.Hygiene.UnusedDays,
                "Rotation:Hygiene:UnusedDays must be at least 1 and AutoDisableUnusedDays at least UnusedDays.")
            .ValidateOnStart();
        services.AddKeyVault(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<TokenFunctionsMetrics>();

        // This capability owns these contracts: replace any placeholder another registration put there first.
        services.TryAddSingleton<KeyVaultManagedCredentialIndex>();
        services.Replace(ServiceDescriptor.Singleton<IManagedCredentialCatalog>(sp => sp.GetRequiredService<KeyVaultManagedCredentialIndex>()));
        services.Replace(ServiceDescriptor.Singleton<IManagedCredentialIndex>(sp => sp.GetRequiredService<KeyVaultManagedCredentialIndex>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecretRotationListener, CredentialProviderRotationListener>());

        services.TryAddSingleton<IRotationStateStore>(sp => CreateStateStore(sp, configuration));
        services.TryAddSingleton<IRotationCheckpoints, NoRotationCheckpoints>();
        services.TryAddSingleton<IDynatraceClientFactory, DynatraceClientFactory>(); // the one AddDynatrace registers; TokenTargets asks it for the swapped-credential client
        services.TryAddSingleton<IConfiguredTargets, DirectoryTargets>(); // likewise
        services.TryAddSingleton<TokenTargets>();
        services.AddAuditWriter();
        services.TryAddSingleton<RotationAudit>();
        services.TryAddSingleton<CredentialRotator>();
        services.Replace(ServiceDescriptor.Singleton<IRotationService>(sp => sp.GetRequiredService<CredentialRotator>()));
        services.Replace(ServiceDescriptor.Singleton<ILeakRotation, LeakRotation>());

        services.TryAddSingleton<ScheduledRotationJob>();
        services.TryAddSingleton<SweepJob>();
        services.TryAddSingleton<ReconciliationJob>();
        services.TryAddSingleton<ProtectedTokens>(); // what the hygiene timer must never auto-disable; the same one AddKill registers
        services.TryAddSingleton<HygieneReportJob>();
        return services;
    }

    private static IRotationStateStore CreateStateStore(IServiceProvider services, IConfiguration configuration)
    {
        var settings = services.GetRequiredService<IOptions<RotationOptions>>().Value.State;
        var time = services.GetRequiredService<TimeProvider>();
        if (string.Equals(settings.Mode, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            return new InMemoryRotationStateStore(time);
        }

        var service = TableStorage.TryCreateService(settings.ConnectionString, settings.ServiceUri, configuration, hostTableServiceUriFallback: true)
            ?? throw new InvalidOperationException(
                "Rotation state needs storage: set Rotation:State:ConnectionString, Rotation:State:ServiceUri, AzureWebJobsStorage or " +
                "AzureWebJobsStorage:tableServiceUri (or Rotation:State:Mode=InMemory for a single local instance).");

        return new TableRotationStateStore(service.GetTableClient(settings.TableName), time);
    }
}
