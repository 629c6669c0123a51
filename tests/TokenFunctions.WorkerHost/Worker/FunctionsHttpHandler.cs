using System.Net;
using TokenFunctions.WorkerHost.Protocol;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// What the host does with an HTTP request under ASP.NET Core integration: find the HTTP function whose route and
/// methods match (<c>api/&lt;route&gt;</c>), send the invocation over gRPC, and forward the raw request to the worker's
/// <c>HttpUri</c> with <c>x-ms-invocation-id</c> so the worker pairs the two and writes the response itself. The
/// response returned is the worker's. No function key is checked (the real host checks them: docs/testing.md).
/// </summary>
internal sealed class FunctionsHttpHandler(FunctionsTestHost host) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        var function = path.StartsWith("api/", StringComparison.OrdinalIgnoreCase)
            ? host.Functions.Values.FirstOrDefault(f => f.Route is not null && Matches(f.Route, path["api/".Length..]) && (f.Methods.Count == 0 || f.Methods.Contains(request.Method.Method.ToUpperInvariant())))
            : null;
        if (function is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        var (worker, invocationId, result) = await host.StartInvocationAsync(function.Name, (invocation, f) =>
        {
            var http = new RpcHttp { Method = request.Method.Method, Url = request.RequestUri.AbsoluteUri };
            foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            {
                http.Headers[header.Key] = string.Join(",", header.Value);
            }

            invocation.InputData.Add(new ParameterBinding { Name = f.TriggerBindingName, Data = new TypedData { Http = http } });
        }, cancellationToken).ConfigureAwait(false);

        using var forward = new HttpRequestMessage(request.Method, new Uri(worker.HttpUri, path + request.RequestUri.Query)) { Content = request.Content, Version = request.Version };
        foreach (var header in request.Headers)
        {
            forward.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        forward.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        HttpResponseMessage response;
        try
        {
            response = await host.Forwarder.SendAsync(forward, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The worker never got the request: release the invocation it is holding open for it.
            worker.Connection.Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });
            throw;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        await result.ConfigureAwait(false);
        response.RequestMessage = request;
        return response;
    }

    private static bool Matches(string template, string path)
    {
        var expected = template.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        return expected.Length == actual.Length
            && expected.Zip(actual).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }
}
