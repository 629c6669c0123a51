using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

public sealed class IncidentsServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IKillService>(new RecordingKillService());
        services.AddSingleton<IDynatraceDirectory>(new FakeDirectory());
        services.AddSingleton<IIncidentMessageSender, RecordingIncidentMessageSender>();
        more?.Invoke(services);
        services.AddIncidents(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    [Fact]
    public async Task Binds_the_Incidents_section_and_resolves_a_working_processor()
    {
        using var provider = Build(new()
        {
            ["Incidents:Storage:InMemory"] = "true",
            ["Incidents:MaxDeliveryCount"] = "7",
            ["Incidents:WorkBudgetPerDelivery"] = "00:02:30",
            ["Incidents:PageSize"] = "500",
            ["Incidents:MaxTokensPerMessage"] = "2000",
        });

        var options = provider.GetRequiredService<IOptions<IncidentsOptions>>().Value;
        var processor = provider.GetRequiredService<IncidentProcessor>();
        var decision = await processor.ProcessAsync(IncidentTestHost.Message($$"""{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["{{TestTokens.ClassicId(1)}}"] }"""), CancellationToken.None);

        Assert.Equal((7, TimeSpan.FromSeconds(150), 500, 2000), (options.MaxDeliveryCount, options.WorkBudgetPerDelivery, options.PageSize, options.MaxTokensPerMessage));
        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.IsType<InMemoryIncidentLedger>(provider.GetRequiredService<IIncidentLedger>());
        Assert.IsType<UnavailableRotationRequestHandler>(provider.GetRequiredService<IRotationRequestHandler>());
        Assert.Empty(provider.GetServices<IIncidentFollowUp>()); // the processor works without any follow-up
    }

    [Fact]
    public void A_connection_string_selects_the_table_stores()
    {
        using var provider = Build(new() { ["Incidents:Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.IsType<TableIncidentLedger>(provider.GetRequiredService<IIncidentLedger>());
        Assert.IsType<TableIncidentProgressStore>(provider.GetRequiredService<IIncidentProgressStore>());
    }

    [Theory]
    [InlineData(null, null, "exactly one of Incidents:Storage:ServiceUri")]
    [InlineData("Incidents:PageSize", "50", "Incidents:PageSize must be between 100 and 10000")]
    [InlineData("Incidents:MaxDeliveryCount", "0", "Incidents:MaxDeliveryCount")]
    [InlineData("Incidents:Storage:LedgerTable", "bad-name", "two different table names")]
    public void Settings_that_would_lose_work_fail_validation(string? key, string? value, string fragment)
    {
        var settings = new Dictionary<string, string?>();
        if (key is not null)
        {
            settings["Incidents:Storage:InMemory"] = "true";
            settings[key] = value;
        }

        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IncidentsOptions>>().Value);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rotation_capability_registered_first_is_kept()
    {
        using var provider = Build(new() { ["Incidents:Storage:InMemory"] = "true" }, s => s.AddSingleton<IRotationRequestHandler, FakeRotationRequestHandler>());

        Assert.IsType<FakeRotationRequestHandler>(provider.GetRequiredService<IRotationRequestHandler>());
    }

    [Fact]
    public void A_rotation_capability_registered_later_wins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Incidents:Storage:InMemory"] = "true" }).Build();
        var services = new ServiceCollection().AddIncidents(configuration);
        services.AddSingleton<IRotationRequestHandler, FakeRotationRequestHandler>();

        using var provider = services.BuildServiceProvider();

        Assert.IsType<FakeRotationRequestHandler>(provider.GetRequiredService<IRotationRequestHandler>());
    }

    [Fact]
    public void The_incident_queue_serializes_through_the_registered_sender()
    {
        using var provider = Build(new() { ["Incidents:Storage:InMemory"] = "true" });

        Assert.IsType<ServiceBusIncidentQueue>(provider.GetRequiredService<IIncidentQueue>());
    }

    [Fact]
    public void Each_message_type_has_its_handler_registered_and_the_processor_picks_it()
    {
        using var provider = Build(new() { ["Incidents:Storage:InMemory"] = "true" });
        var handlers = provider.GetRequiredService<IncidentHandlers>();

        var expected = new Dictionary<Type, Type>
        {
            [typeof(DisableMessage)] = typeof(DisableHandler),
            [typeof(KillSwitchMessage)] = typeof(KillSwitchHandler),
            [typeof(EnableMessage)] = typeof(EnableHandler),
            [typeof(RotateMessage)] = typeof(RotateHandler),
        };
        Assert.Equal(expected.Keys, IncidentHandlers.MessageTypes);
        foreach (var (messageType, handlerType) in expected)
        {
            var registered = provider.GetRequiredKeyedService<IIncidentHandler>(messageType);
            Assert.IsType(handlerType, registered);
            Assert.Same(registered, provider.GetRequiredKeyedService<IIncidentHandler>(messageType)); // a singleton
        }

        Assert.Same(provider.GetRequiredKeyedService<IIncidentHandler>(typeof(EnableMessage)), handlers.For(new EnableMessage { IncidentId = "I", TokenIds = [] }));
        Assert.Same(provider.GetRequiredService<LeakBatchRunner>(), provider.GetRequiredService<LeakBatchRunner>());
    }

    [Fact]
    public void A_handler_registered_before_AddIncidents_is_the_one_the_processor_uses()
    {
        var replacement = new RotateHandler(new FakeRotationRequestHandler(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var provider = Build(new() { ["Incidents:Storage:InMemory"] = "true" }, s => s.AddKeyedSingleton<IIncidentHandler>(typeof(RotateMessage), replacement));

        Assert.Same(replacement, provider.GetRequiredService<IncidentHandlers>().For(new RotateMessage { IncidentId = "I", TokenIds = [] }));
    }

    [Fact]
    public async Task The_leak_rotation_hand_off_goes_through_the_registered_incident_queue()
    {
        var queue = new RecordingIncidentQueue();
        using var provider = Build(new() { ["Incidents:Storage:InMemory"] = "true" }, s => s.AddSingleton<IIncidentQueue>(queue));

        var handedOff = await provider.GetRequiredService<LeakRotationHandOff>().TryHandOffAsync(
            new DisableMessage { IncidentId = "I-1", Tokens = [] }, [TokenId.Parse(TestTokens.ClassicId(1))], CancellationToken.None);

        Assert.True(handedOff);
        var rotate = Assert.IsType<RotateMessage>(Assert.Single(queue.Messages));
        Assert.Equal(("I-1", true), (rotate.IncidentId, rotate.Leaked));
        Assert.Equal([TestTokens.ClassicId(1)], rotate.TokenIds!);
    }
}
