using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.WorkerHost.Protocol;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// A stand-in for the Azure Functions host, enough to run the real worker: a gRPC server on loopback (the worker's
/// <c>FunctionRpc.EventStream</c> and the Service Bus extension's <c>Settlement</c>, compiled from the contract printed
/// out of the worker's own packages), a worker process started as the host starts it, the handshake (init, metadata,
/// one load per function the worker declares), and invocations: HTTP by forwarding a real request to the worker's
/// <c>HttpUri</c> (<see cref="CreateHttpClient"/>), timers with a <c>TimerInfo</c>, the Service Bus trigger with the
/// received-message binding data. What it does not do is in docs/testing.md (function keys, host.json, listeners).
/// </summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    private const string HostVersion = "4.1044.0-tokenfunctions-test";

    private readonly WebApplication _grpc;
    private readonly Uri _address;
    private readonly FunctionsTestHostOptions _options;
    private readonly WorkerConnections _connections;
    private readonly ConcurrentQueue<InvocationResult> _invocations = new();
    private readonly List<WorkerProcess> _processes = [];
    private readonly HttpClient _forward = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false });
    private TaskCompletionSource<ReadyWorker> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FunctionsTestHost(WebApplication grpc, Uri address, FunctionsTestHostOptions options, WorkerConnections connections, Settlements settlements)
    {
        _grpc = grpc;
        _address = address;
        _options = options;
        _connections = connections;
        Settlements = settlements;
    }

    /// <summary>RpcLog, stdout and stderr of every worker this host started.</summary>
    public WorkerLog Log { get; } = new();

    public Settlements Settlements { get; }

    public IReadOnlyList<InvocationResult> Invocations => [.. _invocations];

    /// <summary>The functions the current worker declared and loaded, by name.</summary>
    public IReadOnlyDictionary<string, LoadedFunction> Functions => Current.Functions;

    /// <summary>The current worker process.</summary>
    public WorkerProcess Worker => Current.Process;

    /// <summary>The current worker's own HTTP listener, from its <c>HttpUri</c> capability.</summary>
    public Uri WorkerHttpUri => Current.HttpUri;

    /// <summary>From process start to every function loaded, for the latest worker.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    public IReadOnlyDictionary<string, string?> Settings => _options.Settings;

    private ReadyWorker Current => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : throw new InvalidOperationException("No worker is ready.");

    public static async Task<FunctionsTestHost> StartAsync(FunctionsTestHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connections = new WorkerConnections();
        var settlements = new Settlements();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(connections).AddSingleton(settlements).AddSingleton(options.TimeProvider);
        var app = builder.Build();
        app.MapGrpcService<EventStreamService>();
        app.MapGrpcService<SettlementService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");

        var host = new FunctionsTestHost(app, address, options, connections, settlements);
        try
        {
            await host.StartWorkerAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>Kills the current worker (SIGKILL) and waits until it is gone; invocations in flight fail.</summary>
    public async Task KillWorkerAsync()
    {
        var current = Current;
        Interlocked.Exchange(ref _ready, new TaskCompletionSource<ReadyWorker>(TaskCreationOptions.RunContinuationsAsynchronously));
        current.Process.Kill();
        await current.Process.Exited.ConfigureAwait(false);
        current.Connection.Close($"Worker {current.Process.WorkerId} was killed.");
    }

    /// <summary>Starts a fresh worker (after <see cref="KillWorkerAsync"/>, or replacing the current one) and loads its functions.</summary>
    public async Task StartWorkerAsync(CancellationToken cancellationToken = default)
    {
        if (_ready.Task.IsCompletedSuccessfully)
        {
            await KillWorkerAsync().ConfigureAwait(false);
        }

        var workerId = Guid.NewGuid().ToString();
        var connection = new WorkerConnection(workerId, Log);
        _connections.Add(connection);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        var started = Stopwatch.StartNew();
        var process = WorkerProcess.Start(_options.AppDirectory, _options.AssemblyName, _address, workerId, _options.Settings, Log);
        lock (_processes)
        {
            _processes.Add(process);
        }

        try
        {
            var ready = await HandshakeAsync(process, connection, timeout.Token).ConfigureAwait(false);
            LastStartDuration = started.Elapsed;
            _ready.TrySetResult(ready);
        }
        catch (Exception exception) when (exception is WorkerGoneException or OperationCanceledException or InvalidOperationException)
        {
            await process.DisposeAsync().ConfigureAwait(false);
            var stderr = string.Join('\n', Log.Lines.Where(l => l.WorkerId == workerId && l.Source != "rpc").TakeLast(40).Select(l => l.Message));
            throw new InvalidOperationException($"Worker {workerId} did not start: {exception.Message}\n{stderr}", exception);
        }
    }

    /// <summary>An <see cref="HttpClient"/> whose requests (<c>api/…</c>) reach the HTTP functions as the host would route them.</summary>
    public HttpClient CreateHttpClient() => new(new FunctionsHttpHandler(this)) { BaseAddress = new Uri("http://functions.test/") };

    /// <summary>A timer tick: the function's trigger binding gets a <c>TimerInfo</c>.</summary>
    public Task<InvocationResult> FireTimerAsync(string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now.AddHours(-1), Next = now.AddHours(1), LastUpdated = now },
            IsPastDue = isPastDue,
        });
        return InvokeAsync(functionName, (request, function) => request.InputData.Add(new ParameterBinding
        {
            Name = function.TriggerBindingName,
            Data = new TypedData { Json = timerInfo },
        }), cancellationToken);
    }

    /// <summary>
    /// Delivers a received message to a Service Bus trigger the way the host's extension does: model binding data
    /// <c>AzureServiceBusReceivedMessage</c> = the 16-byte lock token followed by the AMQP message's bytes.
    /// </summary>
    public Task<InvocationResult> InvokeServiceBusAsync(string functionName, ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lockToken = Guid.Parse(message.LockToken).ToByteArray();
        var amqp = message.GetRawAmqpMessage().ToBytes().ToArray();
        var content = new byte[lockToken.Length + amqp.Length];
        lockToken.CopyTo(content, 0);
        amqp.CopyTo(content, lockToken.Length);
        return InvokeAsync(functionName, (request, function) =>
        {
            request.InputData.Add(new ParameterBinding
            {
                Name = function.TriggerBindingName,
                Data = new TypedData
                {
                    ModelBindingData = new ModelBindingData
                    {
                        Version = "1.0",
                        Source = "AzureServiceBusReceivedMessage",
                        ContentType = "application/octet-stream",
                        Content = ByteString.CopyFrom(content),
                    },
                },
            });
            request.TriggerMetadata["MessageId"] = new TypedData { String = message.MessageId ?? string.Empty };
            request.TriggerMetadata["DeliveryCount"] = new TypedData { Json = message.DeliveryCount.ToString(CultureInfo.InvariantCulture) };
            request.TriggerMetadata["LockToken"] = new TypedData { String = message.LockToken };
        }, cancellationToken);
    }

    /// <summary>A setting as the host resolves a binding expression: <c>%Name%</c> from the app settings, else the text itself.</summary>
    public string Resolve(string expression) =>
        expression is ['%', .. var name, '%']
            ? _options.Settings.FirstOrDefault(s => string.Equals(s.Key.Replace("__", ":", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase)).Value
              ?? throw new KeyNotFoundException($"App setting {name} is not set.")
            : expression;

    internal async Task<InvocationResult> InvokeAsync(string functionName, Action<InvocationRequest, LoadedFunction> fill, CancellationToken cancellationToken)
    {
        var (_, _, result) = await StartInvocationAsync(functionName, fill, cancellationToken).ConfigureAwait(false);
        return await result.ConfigureAwait(false);
    }

    /// <summary>Sends the invocation; the task completes with the worker's answer (or a failure when the worker is gone).</summary>
    internal async Task<(ReadyWorker Worker, string InvocationId, Task<InvocationResult> Result)> StartInvocationAsync(
        string functionName, Action<InvocationRequest, LoadedFunction> fill, CancellationToken cancellationToken)
    {
        var worker = await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!worker.Functions.TryGetValue(functionName, out var function))
        {
            throw new KeyNotFoundException($"The worker declared no function {functionName}.");
        }

        var invocationId = Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,

            // Without a trace context the worker fails the invocation with a NullReferenceException.
            TraceContext = new RpcTraceContext { TraceParent = $"00-{RandomHex(16)}-{RandomHex(8)}-01" },
        };
        fill(request, function);
        return (worker, invocationId, Complete());

        async Task<InvocationResult> Complete()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.InvocationTimeout);
            InvocationResult result;
            try
            {
                var answer = await worker.Connection.RequestAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request }, invocationId, timeout.Token).ConfigureAwait(false);
                var status = answer.InvocationResponse.Result;
                result = new InvocationResult(invocationId, functionName, worker.Process.WorkerId, status.Status == StatusResult.Types.Status.Success,
                    status.Status == StatusResult.Types.Status.Success ? null : status.Exception?.Message ?? status.Result);
            }
            catch (WorkerGoneException gone)
            {
                result = new InvocationResult(invocationId, functionName, worker.Process.WorkerId, false, gone.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Connection.Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });
                result = new InvocationResult(invocationId, functionName, worker.Process.WorkerId, false, $"No answer within {_options.InvocationTimeout}.");
            }

            _invocations.Enqueue(result);
            return result;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<WorkerProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }

        _forward.Dispose();
        await _grpc.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _grpc.DisposeAsync().ConfigureAwait(false);
    }

    internal HttpClient Forwarder => _forward;

    private async Task<ReadyWorker> HandshakeAsync(WorkerProcess process, WorkerConnection connection, CancellationToken cancellationToken)
    {
        await Task.WhenAny(connection.Connected, process.Exited).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!connection.Connected.IsCompletedSuccessfully)
        {
            throw new WorkerGoneException($"The worker exited with code {process.ExitCode} before it connected.");
        }

        _ = process.Exited.ContinueWith(_ => connection.Close($"Worker {process.WorkerId} exited."), TaskScheduler.Default);

        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = _options.AppDirectory,
            FunctionAppDirectory = _options.AppDirectory,
        };
        var initAnswer = (await RequestAsync(connection, new StreamingMessage { WorkerInitRequest = init }, cancellationToken).ConfigureAwait(false)).WorkerInitResponse;
        EnsureSuccess(initAnswer.Result, "WorkerInitRequest");
        if (!initAnswer.Capabilities.TryGetValue("HttpUri", out var httpUri))
        {
            throw new InvalidOperationException("The worker did not report an HttpUri capability (ASP.NET Core integration).");
        }

        var metadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _options.AppDirectory };
        var metadata = (await RequestAsync(connection, new StreamingMessage { FunctionsMetadataRequest = metadataRequest }, cancellationToken).ConfigureAwait(false)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");

        var functions = new Dictionary<string, LoadedFunction>(StringComparer.Ordinal);
        var loads = new List<Task<StreamingMessage>>();
        foreach (var function in metadata.FunctionMetadataResults)
        {
            functions[function.Name] = LoadedFunction.FromMetadata(function.Name, function.FunctionId, function.RawBindings);
            var load = new StreamingMessage { RequestId = Guid.NewGuid().ToString(), FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function } };
            loads.Add(connection.RequestAsync(load, function.FunctionId, cancellationToken));
        }

        foreach (var load in await Task.WhenAll(loads).ConfigureAwait(false))
        {
            EnsureSuccess(load.FunctionLoadResponse.Result, $"FunctionLoadRequest {load.FunctionLoadResponse.FunctionId}");
        }

        var uri = new Uri(httpUri.EndsWith('/') ? httpUri : httpUri + "/");
        await WaitUntilListeningAsync(uri, process, cancellationToken).ConfigureAwait(false);
        return new ReadyWorker(process, connection, uri, functions);
    }

    /// <summary>
    /// The worker reports its <c>HttpUri</c> before its Kestrel accepts connections; on a busy machine the first
    /// forwarded request would be refused. The host waits until a connection to it succeeds.
    /// </summary>
    private static async Task WaitUntilListeningAsync(Uri uri, WorkerProcess process, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(uri.Host, uri.Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (!process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Task<StreamingMessage> RequestAsync(WorkerConnection connection, StreamingMessage message, CancellationToken cancellationToken)
    {
        message.RequestId = Guid.NewGuid().ToString();
        return connection.RequestAsync(message, message.RequestId, cancellationToken);
    }

    private static void EnsureSuccess(StatusResult result, string step)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed: {result.Exception?.Message ?? result.Result}");
        }
    }

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
