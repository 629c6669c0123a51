namespace TokenFunctions.WorkerHost.Worker;

/// <summary>A worker that completed the handshake and loaded every function it declared.</summary>
internal sealed record ReadyWorker(WorkerProcess Process, WorkerConnection Connection, Uri HttpUri, IReadOnlyDictionary<string, LoadedFunction> Functions);
