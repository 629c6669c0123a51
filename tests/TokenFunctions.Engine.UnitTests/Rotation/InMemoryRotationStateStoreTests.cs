using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class InMemoryRotationStateStoreTests : RotationStateStoreContract
{
    protected override Task<IRotationStateStore> CreateStoreAsync() => Task.FromResult<IRotationStateStore>(new InMemoryRotationStateStore(Time));
}
