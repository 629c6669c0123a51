using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class InMemoryDeliveryClaimsTests : DeliveryClaimsContract
{
    public InMemoryDeliveryClaimsTests() => Claims = new InMemoryDeliveryClaims(Time);

    protected override IDeliveryClaims Claims { get; }
}
