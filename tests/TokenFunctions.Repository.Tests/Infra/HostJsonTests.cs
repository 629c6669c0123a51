using System.Text.Json;
using TokenFunctions.Engine.Incidents;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>host.json settings the adapters and the engine depend on: a drift here breaks settlement or telemetry silently.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonElement Host = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("host.json"))).RootElement;

    [Fact]
    public void Host_and_worker_telemetry_correlate_through_OpenTelemetry()
    {
        Assert.Equal("OpenTelemetry", Host.GetProperty("telemetryMode").GetString());
    }

    [Fact]
    public void Service_Bus_messages_are_settled_by_the_adapter_not_the_host()
    {
        // The incident adapter completes, abandons or dead-letters each message itself; auto-complete would settle twice.
        var serviceBus = Host.GetProperty("extensions").GetProperty("serviceBus");
        Assert.False(serviceBus.GetProperty("autoCompleteMessages").GetBoolean());
        Assert.Equal(0, serviceBus.GetProperty("prefetchCount").GetInt32());
    }

    [Fact]
    public void A_delivery_fits_its_work_budget_inside_both_the_lock_renewal_and_the_function_timeout()
    {
        var budget = new IncidentsOptions().WorkBudgetPerDelivery;
        var renewal = TimeSpan.Parse(Host.GetProperty("extensions").GetProperty("serviceBus").GetProperty("maxAutoLockRenewalDuration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var timeout = TimeSpan.Parse(Host.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(budget < renewal, $"work budget {budget} must end before lock renewal stops at {renewal}");
        Assert.True(budget < timeout, $"work budget {budget} must end before the function timeout {timeout}");
    }
}
