using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Host.Tests.Hosting;

namespace TokenFunctions.Host.Tests.Resilience;

/// <summary>The hosted app with the broker on a fake clock, so a test can let a dead worker's message lock expire.</summary>
public sealed class KilledWorkerApp : HostedApp
{
    // Whole milliseconds: AMQP timestamps carry no more.
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    protected override TimeProvider BrokerTime => Time;
}
