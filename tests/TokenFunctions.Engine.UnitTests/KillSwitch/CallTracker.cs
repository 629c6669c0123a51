namespace TokenFunctions.Engine.UnitTests.KillSwitch;

/// <summary>Counts concurrent calls into a fake, remembers the peak, and can hold calls until the test releases them.</summary>
internal sealed class CallTracker
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _inFlight;

    public int MaxInFlight { get; private set; }

    public int Cancelled;

    /// <summary>When set, every call awaits this before answering (a hold, not a delay: the test decides when).</summary>
    public Task? Hold { get; set; }

    /// <summary>When true, calls never answer until cancelled (an environment that hangs).</summary>
    public bool HangUntilCancelled { get; set; }

    public Task InFlightReached(int count)
    {
        lock (_lock)
        {
            if (_inFlight >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }

    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            foreach (var waiter in _waiters.Where(w => _inFlight >= w.Count).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        try
        {
            // Yield so that callers really overlap, as they would over HTTP.
            await Task.Yield();
            if (HangUntilCancelled)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            if (Hold is { } hold)
            {
                await hold.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref Cancelled);
            Exit();
            throw;
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            _inFlight--;
        }
    }
}
