using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.IntegrationTests.Rotation;

/// <summary>The state-store contract against real Table Storage semantics (Azurite): ETags, 409 on insert, 412 on replace.</summary>
public sealed class TableRotationStateStoreTests : RotationStateStoreContract
{
    protected override async Task<IRotationStateStore> CreateStoreAsync() =>
        new TableRotationStateStore(await AzuriteRotationTables.NewTableAsync(TestContext.Current.CancellationToken), Time);

    [Fact]
    public async Task Keys_outside_Key_Vaults_name_rules_are_a_bug_not_a_storage_error()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAcquireAsync("bad/name", "a", Time.GetUtcNow(), TestContext.Current.CancellationToken));
    }
}
