using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Tokens;

public static class TokenRedactionLoggingExtensions
{
    /// <summary>
    /// Routes every log entry of the application through <see cref="Redaction"/> by decorating the registered
    /// <see cref="ILoggerFactory"/> (see <see cref="RedactingLoggerFactory"/>). Covers all providers, including ones added
    /// after this call. Call it last in logging setup: anything that later replaces <see cref="ILoggerFactory"/> itself
    /// would bypass it, which <see cref="TokenRedactionGuard"/> detects at start-up and refuses to run with.
    /// </summary>
    public static ILoggingBuilder AddTokenRedaction(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TokenRedactionGuard>());

        var existing = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        if (existing is null)
        {
            services.AddLogging();
            existing = services.Last(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        }

        if (existing.ImplementationFactory?.Target is RedactionMarker)
        {
            return builder;
        }

        services.Remove(existing);
        var marker = new RedactionMarker(existing);
        services.Add(new ServiceDescriptor(typeof(ILoggerFactory), marker.Create, existing.Lifetime));
        return builder;
    }

    /// <summary>True when <paramref name="factory"/> redacts every entry.</summary>
    public static bool IsRedacting(this ILoggerFactory factory) => factory is RedactingLoggerFactory;

    /// <summary>Builds the decorated factory from the descriptor it replaced; also marks the registration as ours.</summary>
    private sealed class RedactionMarker(ServiceDescriptor original)
    {
        public object Create(IServiceProvider services)
        {
            if (original.ImplementationInstance is ILoggerFactory instance)
            {
                return new RedactingLoggerFactory(instance, ownsInner: false);
            }

            var inner = original.ImplementationFactory is { } factory
                ? (ILoggerFactory)factory(services)
                : (ILoggerFactory)ActivatorUtilities.CreateInstance(services, original.ImplementationType!);
            return new RedactingLoggerFactory(inner);
        }
    }
}
