using Azure.Data.Tables;
using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.IntegrationTests.Sources;

/// <summary>The delivery-claims contract against Azurite's table service. Fails (never skips) when Azurite is not running.</summary>
public sealed class TableDeliveryClaimsTests : DeliveryClaimsContract, IAsyncLifetime
{
    private readonly TableClient _table;

    public TableDeliveryClaimsTests()
    {
        _table = new TableServiceClient(AzuriteConnection).GetTableClient("claims" + Guid.NewGuid().ToString("N")[..12]);
        Claims = new TableDeliveryClaims(_table, Time);
    }

    public static string AzuriteConnection => Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } c ? c : "UseDevelopmentStorage=true";

    protected override IDeliveryClaims Claims { get; }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task Two_instances_racing_for_an_expired_claim_do_not_both_win()
    {
        var key = Guid.NewGuid().ToString();
        await Claims.ClaimAsync(Source, key, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(2));
        var other = new TableDeliveryClaims(_table, Time);
        var claims = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? Claims : other).ClaimAsync(Source, key, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), CancellationToken.None)));
        Assert.Equal(1, claims.Count(c => c.Status == ClaimStatus.Claimed));
    }
}
