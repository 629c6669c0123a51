namespace TokenFunctions.SandboxKit;

/// <summary>
/// The faults of one sandboxed service (or one part of it), changeable at runtime from a test, for requests that each
/// name a <typeparamref name="TTarget"/> (an endpoint, an operation). Checked on every request in this order: added
/// latency, the sandbox's own throttle (<see cref="Throttle"/>), queued one-shot faults, persistent fault. A fault
/// without a target meets every target <see cref="CoversUntargeted"/> admits. A quiet schedule costs one volatile read
/// per request.
/// </summary>
public abstract class FaultSchedule<TFault, TTarget>
    where TFault : InjectedFault<TFault>, new()
    where TTarget : struct, Enum
{
    private readonly Lock _gate = new();
    private readonly List<QueuedFault> _queue = [];
    private TFault? _persistent;
    private TTarget? _persistentTarget;
    private TimeSpan _latency;
    private volatile bool _active;

    /// <summary>Added to every request before it is handled (or faulted).</summary>
    public TimeSpan Latency
    {
        get
        {
            lock (_gate)
            {
                return _latency;
            }
        }

        set => Change(() => _latency = value);
    }

    /// <summary>How many one-shot faults are still waiting.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Sum(q => q.Remaining);
            }
        }
    }

    /// <summary>Nothing is set: every request passes untouched. A hot path checks this before it calls the responder.</summary>
    public bool IsQuiet => !_active;

    /// <summary>The sandbox's own faults (e.g. a rate limit) are set: the schedule is not quiet.</summary>
    protected virtual bool HasThrottle => false;

    /// <summary>The next <paramref name="times"/> requests for <paramref name="target"/> (any, when null) get <paramref name="fault"/>.</summary>
    public FaultSchedule<TFault, TTarget> Enqueue(TFault fault, int times = 1, TTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        Change(() => _queue.Add(new QueuedFault(fault, times, target)));
        return this;
    }

    /// <summary>Every request for <paramref name="target"/> (any, when null) gets <paramref name="fault"/> until cleared (null clears).</summary>
    public FaultSchedule<TFault, TTarget> SetPersistent(TFault? fault, TTarget? target = null)
    {
        Change(() =>
        {
            _persistent = fault;
            _persistentTarget = target;
        });
        return this;
    }

    /// <summary>Removes every fault, the latency and the sandbox's own faults.</summary>
    public void Clear() => Change(() =>
    {
        _queue.Clear();
        _persistent = null;
        _persistentTarget = null;
        _latency = TimeSpan.Zero;
        ClearThrottle();
    });

    internal (TFault? Fault, TimeSpan Latency) Next(TTarget target)
    {
        lock (_gate)
        {
            if (Throttle() is { } throttled)
            {
                return (throttled, _latency);
            }

            for (var i = 0; i < _queue.Count; i++)
            {
                var queued = _queue[i];
                if (!Covers(queued.Target, target))
                {
                    continue;
                }

                queued.Remaining--;
                if (queued.Remaining == 0)
                {
                    _queue.RemoveAt(i);
                    Refresh();
                }

                return (queued.Fault, _latency);
            }

            return (_persistent is not null && Covers(_persistentTarget, target) ? _persistent : null, _latency);
        }
    }

    /// <summary>Whether a fault set without a target meets a request for <paramref name="target"/>; by default it meets every one.</summary>
    protected virtual bool CoversUntargeted(TTarget target) => true;

    /// <summary>Under the schedule's lock, before the queued faults: the sandbox's own fault for this request, if any.</summary>
    protected virtual TFault? Throttle() => null;

    /// <summary>Under the schedule's lock, from <see cref="Clear"/>: forget the sandbox's own faults.</summary>
    protected virtual void ClearThrottle()
    {
    }

    /// <summary>Applies <paramref name="change"/> under the schedule's lock, then updates whether the schedule is quiet.</summary>
    protected void Change(Action change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            change();
            Refresh();
        }
    }

    private bool Covers(TTarget? only, TTarget target) =>
        only is { } wanted ? EqualityComparer<TTarget>.Default.Equals(wanted, target) : CoversUntargeted(target);

    private void Refresh() => _active = _queue.Count > 0 || _persistent is not null || _latency > TimeSpan.Zero || HasThrottle;

    private sealed class QueuedFault(TFault fault, int times, TTarget? target)
    {
        public TFault Fault { get; } = fault;

        public TTarget? Target { get; } = target;

        public int Remaining { get; set; } = times;
    }
}
