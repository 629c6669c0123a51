using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class InMemoryDeliveryClaimsTests : DeliveryLedgerContract
{
    public InMemoryDeliveryClaimsTests() => Ledger = new InMemoryDeliveryClaims(Time);

    protected override IDeliveryClaims Ledger { get; }
}
