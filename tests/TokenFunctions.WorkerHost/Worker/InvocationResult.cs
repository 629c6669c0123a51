namespace TokenFunctions.WorkerHost.Worker;

/// <summary>How one invocation ended, as the worker reported it (or the host, when the worker went away first).</summary>
/// <param name="Exception">The worker's <c>RpcException</c> message, or why the host gave up.</param>
public sealed record InvocationResult(string InvocationId, string FunctionName, string WorkerId, bool Succeeded, string? Exception)
{
    public void EnsureSucceeded()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException($"{FunctionName} invocation {InvocationId} on worker {WorkerId} failed: {Exception}");
        }
    }
}
