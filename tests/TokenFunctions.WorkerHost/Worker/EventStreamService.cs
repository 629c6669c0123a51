using System.Collections.Concurrent;
using Grpc.Core;
using TokenFunctions.WorkerHost.Protocol;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// <c>FunctionRpc.EventStream</c>: a worker opens it with <c>StartStream</c> naming the worker id the host started it
/// with; the call then lives as long as that worker's <see cref="WorkerConnection"/>.
/// </summary>
internal sealed class EventStreamService(WorkerConnections connections) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.InvalidArgument, "The first message must be StartStream."));
        }

        var workerId = requestStream.Current.StartStream.WorkerId;
        if (!connections.TryGet(workerId, out var connection))
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.NotFound, $"No worker {workerId} was started by this host."));
        }

        await connection.RunAsync(requestStream, responseStream, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The connections of the workers a host started, by worker id.</summary>
internal sealed class WorkerConnections
{
    private readonly ConcurrentDictionary<string, WorkerConnection> _byId = new(StringComparer.Ordinal);

    public void Add(WorkerConnection connection) => _byId[connection.WorkerId] = connection;

    public bool TryGet(string workerId, out WorkerConnection connection) => _byId.TryGetValue(workerId, out connection!);
}
