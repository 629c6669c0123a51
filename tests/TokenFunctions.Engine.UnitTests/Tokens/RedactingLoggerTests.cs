using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Tokens;

public sealed class RedactingLoggerTests
{
    private const string Id = "dt0c01.ST2EY72KQINMH574WMNVI7YN";
    private static readonly string Token = TestTokens.Documented;
    private static readonly string SecretPart = TestTokens.SecretPart(Token);

    private sealed record Credential(string Name, string Value);

    private static (ServiceProvider Services, LogCapture Capture) Build(Action<ILoggingBuilder>? configure = null)
    {
        var capture = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Debug);
            configure?.Invoke(b);
            b.AddTokenRedaction();
            b.AddProvider(capture); // added after AddTokenRedaction on purpose: must still be covered
        });
        return (services.BuildServiceProvider(), capture);
    }

    [Fact]
    public void Every_part_of_a_log_entry_reaches_providers_redacted()
    {
        var (services, capture) = Build();
        using (services)
        {
            var logger = services.GetRequiredService<ILogger<RedactingLoggerTests>>();
            using (logger.BeginScope("request with {Token}", Token))
            using (logger.BeginScope(new Dictionary<string, object?> { ["token"] = Token }))
            using (logger.BeginScope($"plain scope {Token}"))
            {
                logger.LogWarning(new InvalidOperationException($"boom {Token}"), "Dynatrace answered {Answer} for {Credential} and {Secret}", $"echo {Token}", new Credential("c", Token), TokenSecret.Parse(Token));
#pragma warning disable CA2254 // an interpolated template is exactly the mistake this must survive
                logger.LogInformation($"interpolated {Token}");
#pragma warning restore CA2254
                logger.LogInformation("split {A}{B}", Token[..40], Token[40..]);
            }
        }

        Assert.Equal(3, capture.Entries.Count);
        Assert.Equal(3, capture.Scopes.Count);
        Assert.DoesNotContain(SecretPart, capture.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"echo {Id}.***", capture.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains(capture.Entries[0].Values, v => v.Key == "Answer" && v.Value == $"echo {Id}.***");
        Assert.Contains(capture.Entries[0].Values, v => v.Key == "{OriginalFormat}" && v.Value.StartsWith("Dynatrace answered", StringComparison.Ordinal));
        Assert.Contains($"boom {Id}.***", capture.Entries[0].Exception, StringComparison.Ordinal);
        Assert.Equal($"interpolated {Id}.***", capture.Entries[1].Message);
        Assert.Equal($"split {Id}.***", capture.Entries[2].Message);
    }

    [Fact]
    public void Clean_entries_keep_their_structured_values_and_types()
    {
        var (services, capture) = Build();
        using (services)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("cat");
            logger.LogInformation("Disabled {TokenId} in {Environment} after {LatencyMs} ms", TokenId.Parse(Id), "prod", 42);
        }

        var entry = Assert.Single(capture.Entries);
        Assert.Equal($"Disabled {Id} in prod after 42 ms", entry.Message);
        var state = Assert.IsType<RedactedLogState>(entry.State);
        Assert.Equal(42, state.Single(v => v.Key == "LatencyMs").Value);
        Assert.Equal(TokenId.Parse(Id), state.Single(v => v.Key == "TokenId").Value);
    }

    [Fact]
    public void Minimum_level_filtering_still_applies()
    {
        var (services, capture) = Build(b => b.SetMinimumLevel(LogLevel.Warning));
        using (services)
        {
            var logger = services.GetRequiredService<ILogger<RedactingLoggerTests>>();
            logger.LogInformation("dropped {Token}", Token);
            logger.LogError("kept {Token}", Token);
            Assert.False(logger.IsEnabled(LogLevel.Information));
        }

        Assert.Equal($"kept {Id}.***", Assert.Single(capture.Entries).Message);
    }

    [Fact]
    public void Adding_redaction_twice_decorates_once()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddTokenRedaction().AddTokenRedaction());
        using var provider = services.BuildServiceProvider();
        var factory = Assert.IsType<RedactingLoggerFactory>(provider.GetRequiredService<ILoggerFactory>());
        Assert.IsType<LoggerFactory>(factory.Inner);
        Assert.Single(services, d => d.ServiceType == typeof(ILoggerFactory));
    }

    [Fact]
    public async Task The_guard_refuses_to_start_when_the_factory_was_replaced_afterwards()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddTokenRedaction());
        services.AddSingleton<ILoggerFactory, LoggerFactory>(); // e.g. a logging library that replaces the factory
        using var provider = services.BuildServiceProvider();
        var guard = new TokenRedactionGuard(provider.GetRequiredService<ILoggerFactory>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.StartAsync(TestContext.Current.CancellationToken));

        var (ok, _) = Build();
        using (ok)
        {
            await new TokenRedactionGuard(ok.GetRequiredService<ILoggerFactory>()).StartAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public void A_factory_registered_as_an_instance_is_wrapped_but_not_disposed()
    {
        var capture = new LogCapture();
        var inner = new LoggerFactory([capture]);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(inner);
        services.AddLogging(b => b.AddTokenRedaction());
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("x").LogError("{Token}", Token);
        }

        Assert.Equal($"{Id}.***", Assert.Single(capture.Entries).Message);
        inner.CreateLogger("still usable").LogInformation("after dispose"); // throws if the container disposed it
        inner.Dispose();
    }
}
