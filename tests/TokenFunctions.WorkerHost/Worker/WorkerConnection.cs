using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using TokenFunctions.WorkerHost.Protocol;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// The host's side of one worker's <c>EventStream</c>: one writer loop (a gRPC stream takes one write at a time), a
/// reader that pairs answers with the requests waiting for them, and every <c>RpcLog</c> into the <see cref="WorkerLog"/>.
/// When the stream ends, everything still waiting fails with <see cref="WorkerGoneException"/>.
/// </summary>
internal sealed class WorkerConnection(string workerId, WorkerLog log)
{
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string WorkerId { get; } = workerId;

    /// <summary>Completes when the worker has opened its stream (its <c>StartStream</c> arrived).</summary>
    public Task Connected => _connected.Task;

    /// <summary>Completes when the stream has ended, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Runs for the lifetime of the worker's <c>EventStream</c> call.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        _connected.TrySetResult();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteAsync(responses, stop.Token);
        try
        {
            while (await requests.MoveNext(stop.Token).ConfigureAwait(false))
            {
                Dispatch(requests.Current);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or Grpc.Core.RpcException)
        {
            // The worker went away (killed, crashed, or the host is stopping): the same as the end of the stream.
        }
        finally
        {
            Close($"Worker {WorkerId}'s stream ended.");
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends a request and waits for the answer that carries <paramref name="key"/> (request id, function id or invocation id).</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, string key, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, answer))
        {
            throw new InvalidOperationException($"A request {key} is already waiting.");
        }

        try
        {
            if (IsClosed)
            {
                throw new WorkerGoneException($"Worker {WorkerId} is gone.");
            }

            Send(request);
            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    public void Send(StreamingMessage message) => _outgoing.Writer.TryWrite(message);

    public void Close(string reason)
    {
        _outgoing.Writer.TryComplete();
        _connected.TrySetException(new WorkerGoneException(reason));
        _closed.TrySetResult();
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new WorkerGoneException(reason));
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        var key = message.ContentCase switch
        {
            StreamingMessage.ContentOneofCase.RpcLog => LogLine(message.RpcLog),
            StreamingMessage.ContentOneofCase.InvocationResponse => message.InvocationResponse.InvocationId,
            StreamingMessage.ContentOneofCase.FunctionLoadResponse => message.FunctionLoadResponse.FunctionId,
            _ => message.RequestId,
        };
        if (key is not null && _pending.TryGetValue(key, out var waiting))
        {
            waiting.TrySetResult(message);
        }
    }

    private string? LogLine(RpcLog rpcLog)
    {
        log.Add(new WorkerLogLine(WorkerId, "rpc", rpcLog.Level.ToString(), rpcLog.Category, rpcLog.Message, rpcLog.Exception?.ToString()));
        return null;
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
