using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>
/// <c>FunctionsApplication.CreateBuilder</c> + <c>AddTokenFunctions()</c> with the sample settings: every function class
/// can be built from the container, and every log provider only ever sees redacted text.
/// </summary>
public sealed class CompositionRootTests
{
    // A syntactically valid classic token (dt0c01.<24>.<64>): what a leak report or an exception message could carry.
    private const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private const string PublicPart = "dt0c01.ST2EY72KQINMH574WMNVI7YN";

    public static TheoryData<Type> FunctionTypes() => [.. FunctionClasses.Types];

    [Theory]
    [MemberData(nameof(FunctionTypes))]
    public void Every_constructor_dependency_of_a_function_class_resolves_from_the_host(Type function)
    {
        using var app = FunctionAppHost.Build();

        var constructor = Assert.Single(function.GetConstructors());
        Assert.All(constructor.GetParameters(), p => Assert.NotNull(app.Services.GetRequiredService(p.ParameterType)));
        Assert.NotNull(ActivatorUtilities.CreateInstance(app.Services, function));
    }

    [Fact]
    public void The_logger_factory_every_component_gets_is_the_redacting_one()
    {
        using var app = FunctionAppHost.Build();

        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().IsRedacting());
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is TokenRedactionGuard);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_secret_logged_anywhere_reaches_no_provider_in_clear(bool telemetry)
    {
        // With telemetry the OpenTelemetry logger provider is registered too; its exporter points at a closed loopback port.
        using var app = FunctionAppHost.Build(telemetry
            ? new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/" }
            : null);
        var providers = app.Services.GetServices<ILoggerProvider>().ToList();
        Assert.Contains(providers, p => p is CapturedLogs);
        Assert.Contains(providers, p => p.GetType().Name == "WorkerLoggerProvider");
        Assert.Equal(telemetry, providers.Any(p => p.GetType().Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true));

        var logger = app.Services.GetRequiredService<ILogger<CompositionRootTests>>();
        logger.LogWarning(new InvalidOperationException($"upstream said {Secret}"), "Leak found: {Token} in {Where}", Secret, "ci/build-42 " + Secret);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Function.GitHubSecretScanningAlert").LogError("body {Body}", $"{{\"token\":\"{Secret}\"}}");

        var entries = app.Logs.Entries;
        Assert.Equal(2, entries.Count(e => e.Line.Contains(PublicPart, StringComparison.Ordinal)));
        Assert.DoesNotContain(Secret, app.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM", app.Logs.All, StringComparison.Ordinal);
    }
}
