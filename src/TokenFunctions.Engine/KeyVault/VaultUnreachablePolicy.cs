using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// Outside the SDK's retry policy: when every attempt failed without an answer (connection refused or dropped, network
/// timeout), Azure.Core throws an <see cref="AggregateException"/>, or a bare <see cref="OperationCanceledException"/>
/// with retries off. Every Key Vault caller in the engine handles <see cref="RequestFailedException"/> (status 0 = no
/// answer, outcome unknown) and nothing else, so an unreachable or hung vault escaped them as an unexpected exception;
/// this turns those into the one exception they handle. The caller's own cancellation passes through unchanged.
/// </summary>
internal sealed class VaultUnreachablePolicy : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNoAnswer(e, message.CancellationToken))
        {
            throw Unreachable(e);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (IsNoAnswer(e, message.CancellationToken))
        {
            throw Unreachable(e);
        }
    }

    private static bool IsNoAnswer(Exception e, CancellationToken caller) =>
        !caller.IsCancellationRequested && e is AggregateException or OperationCanceledException;

    private static RequestFailedException Unreachable(Exception e)
    {
        var attempts = e is AggregateException aggregate ? aggregate.InnerExceptions.Count : 1;
        var timedOut = e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.All(i => i is OperationCanceledException));
        return new RequestFailedException(
            0,
            $"Key Vault could not be reached: {attempts} attempt(s) {(timedOut ? "timed out" : "failed without an answer")}.",
            e);
    }
}
