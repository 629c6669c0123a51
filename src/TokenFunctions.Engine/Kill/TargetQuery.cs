using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.Kill;

/// <summary>How to ask one kind of owner (environment or account) whether it holds a token.</summary>
internal sealed record TargetQuery<TClient, TInfo>(
    string OwnerKind,
    Func<TClient, string> NameOf,
    Func<TClient, string> GateOf,
    Func<TClient, CancellationToken, Task<DynatraceResult<TInfo>>> Ask)
    where TClient : class;
