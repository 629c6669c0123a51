using TokenFunctions.Engine.Sources.Ledger;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class InMemoryDeliveryLedgerTests : DeliveryLedgerContract
{
    public InMemoryDeliveryLedgerTests() => Ledger = new InMemoryDeliveryLedger(Time);

    protected override IDeliveryLedger Ledger { get; }
}
