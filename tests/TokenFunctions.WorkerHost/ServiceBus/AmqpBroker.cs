using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Amqp;
using Amqp.Listener;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// A loopback AMQP 1.0 broker (AMQPNetLite) that the real <c>ServiceBusClient</c> accepts: SASL <c>MSSBCBS</c>, CBS
/// put-token on <c>$cbs</c>, a max message size on every link, GUID delivery tags as lock tokens, and per-queue peek-lock
/// semantics (<see cref="BrokerQueue"/>). Plain AMQP on 127.0.0.1 at a port of its own; <see cref="ConnectionString"/>
/// is the emulator-style string the app and the tests give their clients.
/// </summary>
public sealed class AmqpBroker : IAsyncDisposable
{
    private readonly ContainerHost _host;
    private readonly ConcurrentDictionary<string, BrokerQueue> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private readonly AmqpBrokerOptions _options;
    private readonly CbsProcessor _cbs = new();
    private long _sequenceNumber;

    private AmqpBroker(ContainerHost host, int port, AmqpBrokerOptions options)
    {
        _host = host;
        _options = options;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// <c>UseDevelopmentEmulator=true</c> makes the client speak plain AMQP and honour the port in <c>Endpoint</c>; the
    /// key is a placeholder the broker never checks (the emulator's is fixed too).
    /// </summary>
    public string ConnectionString => $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=loopback-broker-key;UseDevelopmentEmulator=true;";

    /// <summary>CBS tokens accepted so far: proof that a client authenticated the Service Bus way.</summary>
    public int TokensAccepted => _cbs.TokensAccepted;

    public static AmqpBroker Start(AmqpBrokerOptions? options = null)
    {
        options ??= new AmqpBrokerOptions();

        // AMQPNetLite does not report the port it bound for port 0, so take a free one from the OS first.
        var port = FreePort();
        var host = new ContainerHost(new Address("127.0.0.1", port, user: null, password: null, path: "/", scheme: "amqp"));
        var listener = host.Listeners[0];
        listener.SASL.EnableMechanism((Symbol)CbsSaslProfile.Name, new CbsSaslProfile());
        listener.AMQP.MaxFrameSize = 256 * 1024;
        listener.HandlerFactory = _ => new LockTokenTagHandler(options.MaxMessageSize);
        var broker = new AmqpBroker(host, port, options);
        host.RegisterRequestProcessor("$cbs", broker._cbs);
        host.RegisterLinkProcessor(new QueueLinkProcessor(broker));
        foreach (var name in options.Queues)
        {
            broker.CreateQueue(name);
        }

        host.Open();
        return broker;
    }

    public BrokerQueue CreateQueue(string name, int? maxDeliveryCount = null, TimeSpan? lockDuration = null)
    {
        var queue = new BrokerQueue(name, _gate, _options.TimeProvider, () => Interlocked.Increment(ref _sequenceNumber),
            maxDeliveryCount ?? _options.MaxDeliveryCount, lockDuration ?? _options.LockDuration, isDeadLetterQueue: false);
        if (!_queues.TryAdd(name, queue))
        {
            throw new InvalidOperationException($"Queue {name} exists.");
        }

        _queues[queue.DeadLetterQueue!.Name] = queue.DeadLetterQueue;
        _host.RegisterRequestProcessor(name + "/$management", new ManagementProcessor(queue));
        return queue;
    }

    public BrokerQueue Queue(string name) =>
        _queues.TryGetValue(name, out var queue) ? queue : throw new KeyNotFoundException($"No queue {name}.");

    internal BrokerQueue? Find(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        // Clients name entities by path, sometimes as a full amqp://host/path address.
        var path = Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.AbsolutePath : address;
        return _queues.GetValueOrDefault(path.Trim('/'));
    }

    internal object Gate => _gate;

    internal long MaxMessageSize => _options.MaxMessageSize;

    public ValueTask DisposeAsync()
    {
        _host.Close();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
