using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// The host's Service Bus trigger listener, over a real <see cref="ServiceBusReceiver"/> in peek-lock mode: each message
/// that arrives on the function's queue (the app's own hand-offs included) is delivered to the worker's trigger, with
/// up to <c>maxConcurrentCalls</c> in flight; the worker's settlements are applied to the broker through the same
/// receiver; the lock is renewed while the invocation runs. When an invocation fails without settling (a thrown
/// exception, a killed worker), nothing is settled, as with the host's <c>autoCompleteMessages: false</c>: the lock
/// expires and the broker redelivers to whichever worker is current.
/// </summary>
public sealed class ServiceBusTriggerListener : IAsyncDisposable
{
    private readonly FunctionsTestHost _host;
    private readonly string _functionName;
    private readonly ServiceBusClient _client;
    private readonly ServiceBusReceiver _receiver;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TriggerDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly ConcurrentQueue<string> _faults = new();
    private readonly Task _loop;
    private TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceBusTriggerListener(FunctionsTestHost host, string functionName, string connectionString, string queueName, int maxConcurrentCalls, TimeProvider time)
    {
        _host = host;
        _functionName = functionName;
        _time = time;
        _slots = new SemaphoreSlim(maxConcurrentCalls);
        _client = new ServiceBusClient(connectionString);
        _receiver = _client.CreateReceiver(queueName, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 });
        QueueName = queueName;
        _loop = Task.Run(ListenAsync);
    }

    public string QueueName { get; }

    /// <summary>Every delivery handed to a worker, in order, with how its invocation ended.</summary>
    public IReadOnlyList<TriggerDelivery> Deliveries => [.. _deliveries];

    /// <summary>Receive failures the listener carried on after, for a test's failure message.</summary>
    public IReadOnlyList<string> Faults => [.. _faults];

    /// <summary>Completes when <paramref name="condition"/> holds over <see cref="Deliveries"/>, re-checked after each delivery ends.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<TriggerDelivery>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var delivered = Volatile.Read(ref _delivered).Task;
            if (condition(Deliveries))
            {
                return;
            }

            await delivered.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Listens on the queue the function's trigger names (its <c>%Setting%</c> resolved from the app settings), with the
    /// connection string the trigger's <c>Connection</c> setting holds.
    /// </summary>
    public static ServiceBusTriggerListener Start(FunctionsTestHost host, string functionName, int maxConcurrentCalls = 8, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var function = host.Functions[functionName];
        var queue = host.Resolve(function.QueueName ?? throw new InvalidOperationException($"{functionName} is not a Service Bus trigger."));
        var connectionSetting = function.Trigger.TryGetValue("connection", out var connection) ? connection.GetString()! : "AzureWebJobsServiceBus";
        var connectionString = host.Resolve('%' + connectionSetting + '%');
        return new ServiceBusTriggerListener(host, functionName, connectionString, queue, maxConcurrentCalls, time ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _receiver.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task ListenAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            ServiceBusReceivedMessage? message;
            try
            {
                message = await _receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(30), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The host keeps listening whatever a receive throws (the client retries transient failures itself);
                // a listener that died quietly would look like a queue that stopped delivering.
                _faults.Enqueue($"{_time.GetUtcNow():O} {e.GetType().Name}: {e.Message}");
                _slots.Release();
                continue;
            }

            if (message is null)
            {
                _slots.Release();
                continue;
            }

            var delivery = DeliverAsync(message, stop);
            _inFlight.TryAdd(delivery, 0);
            _ = delivery.ContinueWith(
                done =>
                {
                    _inFlight.TryRemove(done, out _);
                    _slots.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(ServiceBusReceivedMessage message, CancellationToken stop)
    {
        var target = new ReceiverSettlementTarget(_receiver, message);
        _host.Settlements.Register(message.LockToken, target);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var renewal = RenewLockAsync(message, renewing.Token);
        InvocationResult result;
        try
        {
            result = await _host.InvokeServiceBusAsync(_functionName, message, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _host.Settlements.Unregister(message.LockToken);
        }

        _deliveries.Enqueue(new TriggerDelivery(message.MessageId, message.SequenceNumber, message.DeliveryCount, message.LockToken, result, target.Settled));
        Interlocked.Exchange(ref _delivered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The host renews the lock while the function runs (host.json <c>maxAutoLockRenewalDuration</c>).</summary>
    private async Task RenewLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = (message.LockedUntil - _time.GetUtcNow()) / 2;
            await Task.Delay(wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            await _receiver.RenewMessageLockAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class ReceiverSettlementTarget(ServiceBusReceiver receiver, ServiceBusReceivedMessage message) : ISettlementTarget
    {
        public SettlementKind? Settled { get; private set; }

        public async Task ApplyAsync(SettlementRecord settlement, CancellationToken cancellationToken)
        {
            var properties = settlement.Properties.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!);
            switch (settlement.Kind)
            {
                case SettlementKind.Complete:
                    await receiver.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                    break;
                case SettlementKind.Abandon:
                    await receiver.AbandonMessageAsync(message, properties, cancellationToken).ConfigureAwait(false);
                    break;
                case SettlementKind.DeadLetter:
                    await receiver.DeadLetterMessageAsync(message, properties, settlement.Reason, settlement.Description, cancellationToken).ConfigureAwait(false);
                    break;
                case SettlementKind.Defer:
                    await receiver.DeferMessageAsync(message, properties, cancellationToken).ConfigureAwait(false);
                    break;
                case SettlementKind.RenewLock:
                    await receiver.RenewMessageLockAsync(message, cancellationToken).ConfigureAwait(false);
                    return;
            }

            Settled = settlement.Kind;
        }
    }
}

/// <summary>One message the listener handed to the worker.</summary>
/// <param name="Settlement">How the worker settled it, or null when it did not (the lock then expires).</param>
public sealed record TriggerDelivery(string? MessageId, long SequenceNumber, int DeliveryCount, string LockToken, InvocationResult Result, SettlementKind? Settlement);
