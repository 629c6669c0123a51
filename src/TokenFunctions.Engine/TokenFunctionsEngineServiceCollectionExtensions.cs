using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Sources;

namespace TokenFunctions.Engine;

public static class TokenFunctionsEngineServiceCollectionExtensions
{
    /// <summary>Every engine capability, each wired by its own extension method, in the order data flows.</summary>
    public static IServiceCollection AddTokenFunctionsEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services
            .AddDynatrace(configuration)
            .AddKillSwitch(configuration)
            .AddLeakSources(configuration);
    }
}
