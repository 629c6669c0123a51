using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

internal static class ServiceProviderExtensions
{
    public static IDynatraceDirectory GetRequiredServiceDirectory(this IServiceProvider services) => services.GetRequiredService<IDynatraceDirectory>();
}
