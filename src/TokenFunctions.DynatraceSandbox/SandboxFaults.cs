namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// The faults of one environment, one account, or the SSO endpoint, changeable at runtime from a test. Checked on every
/// request in this order: added latency, rate limit, queued one-shot faults, persistent fault. A quiet instance costs one
/// volatile read per request.
/// </summary>
public sealed class SandboxFaults
{
    private readonly Lock _gate = new();
    private readonly List<QueuedFault> _queue = [];
    private SandboxFault? _persistent;
    private SandboxEndpoint? _persistentEndpoint;
    private TimeSpan _latency;
    private TokenBucket? _bucket;
    private SandboxRateLimitHint _bucketHint;
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

        set
        {
            lock (_gate)
            {
                _latency = value;
                Refresh();
            }
        }
    }

    /// <summary>The next <paramref name="times"/> matching requests get <paramref name="fault"/>.</summary>
    public SandboxFaults Enqueue(SandboxFault fault, int times = 1, SandboxEndpoint? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _queue.Add(new QueuedFault(fault, times, endpoint));
            Refresh();
        }

        return this;
    }

    /// <summary>Every matching request gets <paramref name="fault"/> until cleared (null clears).</summary>
    public SandboxFaults SetPersistent(SandboxFault? fault, SandboxEndpoint? endpoint = null)
    {
        lock (_gate)
        {
            _persistent = fault;
            _persistentEndpoint = endpoint;
            Refresh();
        }

        return this;
    }

    /// <summary>A token bucket of <paramref name="permitsPerSecond"/> with <paramref name="burst"/> saved up; excess requests get 429.</summary>
    public SandboxFaults SetRateLimit(double permitsPerSecond, int burst = 1, SandboxRateLimitHint hint = SandboxRateLimitHint.None)
    {
        lock (_gate)
        {
            _bucket = new TokenBucket(permitsPerSecond, burst);
            _bucketHint = hint;
            Refresh();
        }

        return this;
    }

    public SandboxFaults ClearRateLimit()
    {
        lock (_gate)
        {
            _bucket = null;
            Refresh();
        }

        return this;
    }

    /// <summary>Removes every fault, the latency and the rate limit.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _persistent = null;
            _persistentEndpoint = null;
            _latency = TimeSpan.Zero;
            _bucket = null;
            Refresh();
        }
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

    internal bool IsQuiet => !_active;

    internal (SandboxFault? Fault, TimeSpan Latency) Next(SandboxEndpoint endpoint)
    {
        lock (_gate)
        {
            if (_bucket is not null && !_bucket.TryTake(out var wait))
            {
                var fault = _bucketHint switch
                {
                    SandboxRateLimitHint.RetryAfter => SandboxFault.TooManyRequests(wait),
                    SandboxRateLimitHint.RateLimitReset => SandboxFault.TooManyRequestsWithReset(wait),
                    _ => SandboxFault.TooManyRequests(),
                };
                return (fault, _latency);
            }

            for (var i = 0; i < _queue.Count; i++)
            {
                var queued = _queue[i];
                if (queued.Endpoint is { } only && only != endpoint)
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

            if (_persistent is not null && (_persistentEndpoint is null || _persistentEndpoint == endpoint))
            {
                return (_persistent, _latency);
            }

            return (null, _latency);
        }
    }

    private void Refresh() => _active = _queue.Count > 0 || _persistent is not null || _latency > TimeSpan.Zero || _bucket is not null;

    private sealed class QueuedFault(SandboxFault fault, int times, SandboxEndpoint? endpoint)
    {
        public SandboxFault Fault { get; } = fault;

        public SandboxEndpoint? Endpoint { get; } = endpoint;

        public int Remaining { get; set; } = times;
    }
}
