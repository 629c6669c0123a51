using System.Collections.Concurrent;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>One line the worker wrote: an <c>RpcLog</c> message over gRPC, or a line of its stdout / stderr.</summary>
/// <param name="Source"><c>rpc</c>, <c>stdout</c> or <c>stderr</c>.</param>
public sealed record WorkerLogLine(string WorkerId, string Source, string Level, string? Category, string Message, string? Exception);

/// <summary>Everything every worker of a host said, in arrival order: where a test looks for a secret that leaked.</summary>
public sealed class WorkerLog
{
    private readonly ConcurrentQueue<WorkerLogLine> _lines = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<WorkerLogLine> Lines => [.. _lines];

    /// <summary>Every message and exception text, one per line.</summary>
    public string AllText => string.Join('\n', _lines.Select(l => l.Exception is null ? l.Message : l.Message + '\n' + l.Exception));

    /// <summary>Completes when <paramref name="condition"/> holds over the lines, re-checked as lines arrive.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<WorkerLogLine>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var added = Volatile.Read(ref _added).Task;
            if (condition(Lines))
            {
                return;
            }

            await added.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Add(WorkerLogLine line)
    {
        _lines.Enqueue(line);
        Interlocked.Exchange(ref _added, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
