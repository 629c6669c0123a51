using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Host.Tests.Hosting;

namespace TokenFunctions.Host.Tests.Timers;

/// <summary>
/// The hosted app with the vault's clock two days behind: a credential enrolled now reads as two days old, so the
/// scheduled rotation (which compares the current version's age with its rotation period) finds it due. The worker
/// keeps the real clock.
/// </summary>
public sealed class TimerApp : HostedApp
{
    public FakeTimeProvider VaultClock { get; } = new(DateTimeOffset.UtcNow.AddDays(-2));

    protected override TimeProvider VaultTime => VaultClock;
}
