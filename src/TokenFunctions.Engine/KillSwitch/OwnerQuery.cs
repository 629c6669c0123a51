using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>How to ask one kind of owner (environment or account) whether it holds a token.</summary>
internal sealed record OwnerQuery<TClient, TInfo>(
    string OwnerKind,
    Func<TClient, string> NameOf,
    Func<TClient, string> GateOf,
    Func<TClient, CancellationToken, Task<DynatraceResult<TInfo>>> Ask)
    where TClient : class;
