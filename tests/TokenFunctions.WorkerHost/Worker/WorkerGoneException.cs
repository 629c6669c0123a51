namespace TokenFunctions.WorkerHost.Worker;

/// <summary>The worker's stream ended (it exited, crashed or was killed) before it answered.</summary>
public sealed class WorkerGoneException(string message) : Exception(message);
