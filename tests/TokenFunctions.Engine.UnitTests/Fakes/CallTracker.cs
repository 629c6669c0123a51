namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>Counts concurrent calls into a fake, remembers the peak, and can hold calls until the test releases them.</summary>
public sealed class CallTracker
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _enteredWaiters = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _cancelledWaiters = [];
    private int _inFlight;
    private int _entered;
    private int _cancelled;

    public int MaxInFlight { get; private set; }

    public int Cancelled => Volatile.Read(ref _cancelled);

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

    /// <summary>Completes once this many calls have entered in total.</summary>
    public Task EnteredReached(int count) => Signal(_enteredWaiters, () => _entered, count);

    /// <summary>Completes once this many calls have been cancelled.</summary>
    public Task CancelledReached(int count) => Signal(_cancelledWaiters, () => _cancelled, count);

    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _inFlight++;
            _entered++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            Release(_waiters, _inFlight);
            Release(_enteredWaiters, _entered);
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
            lock (_lock)
            {
                _cancelled++;
                Release(_cancelledWaiters, _cancelled);
            }

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

    private static void Release(List<(int Count, TaskCompletionSource Signal)> waiters, int value)
    {
        foreach (var waiter in waiters.Where(w => value >= w.Count).ToList())
        {
            waiter.Signal.TrySetResult();
            waiters.Remove(waiter);
        }
    }

    private Task Signal(List<(int Count, TaskCompletionSource Signal)> waiters, Func<int> current, int count)
    {
        lock (_lock)
        {
            if (current() >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, signal));
            return signal.Task;
        }
    }
}
