using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TokenFunctions.Engine.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TokenFunctionsMetrics"/> (meter <see cref="TokenFunctionsMetrics.MeterName"/>) and the
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> it needs. Exporting is the host's job: the function app adds
    /// <c>AddMeter("TokenFunctions")</c> to its OpenTelemetry metrics pipeline.
    /// </summary>
    public static IServiceCollection AddTokenFunctionsTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<TokenFunctionsMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
