using System.Collections.Concurrent;
using System.Net.Sockets;

namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// Sees every attempt of the engine's HTTP clients (it sits inside their resilience handler, next to the socket) and
/// remembers, per configured base URL, whether the last one was answered. The engine's outcomes say "retry later"; this
/// says which URL did not answer and why, so the responder knows what to check.
/// </summary>
internal sealed class UnansweredTargets
{
    private readonly ConcurrentDictionary<string, string?> _last = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Prefix, string Name)> _names = [];

    /// <summary>What did not answer: "environment prod at https://…/", with why; the last exchange with it decides.</summary>
    public IReadOnlyList<(string Target, string Reason)> Failed =>
        [.. _last.Where(kv => kv.Value is not null).Select(kv => (Target: NameOf(kv.Key), Reason: kv.Value!)).OrderBy(t => t.Target, StringComparer.Ordinal)];

    /// <summary>A configured base URL and what to call it ("environment prod"); requests under it are reported as it.</summary>
    public void Name(Uri baseUrl, string name)
    {
        lock (_names)
        {
            _names.Add((baseUrl.ToString(), name));
        }
    }

    public DelegatingHandler CreateHandler() => new Recorder(this);

    private void Answered(Uri uri) => _last[Key(uri)] = null;

    /// <summary>A timeout does not replace a sharper reason an earlier attempt gave (the deadline cuts the last attempt short).</summary>
    private void Unanswered(Uri uri, string reason, bool timedOut) =>
        _last.AddOrUpdate(Key(uri), reason, (_, earlier) => timedOut && earlier is not null ? earlier : reason);

    /// <summary>The longest configured base URL the request is under (the sandbox serves every environment on one port), else its origin.</summary>
    private string Key(Uri uri)
    {
        var text = uri.ToString();
        lock (_names)
        {
            return _names.Where(n => text.StartsWith(n.Prefix, StringComparison.OrdinalIgnoreCase)).OrderByDescending(n => n.Prefix.Length).Select(n => n.Prefix).FirstOrDefault()
                ?? uri.GetLeftPart(UriPartial.Authority) + "/";
        }
    }

    private string NameOf(string key)
    {
        lock (_names)
        {
            return _names.FirstOrDefault(n => string.Equals(n.Prefix, key, StringComparison.OrdinalIgnoreCase)).Name is { } name ? $"{name} at {key}" : key;
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        OperationCanceledException => "no answer in time",
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.SocketErrorCode.ToString(),
        },
        HttpRequestException http => http.HttpRequestError.ToString(),
        _ => ex.GetType().Name,
    };

    private sealed class Recorder(UnansweredTargets targets) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 429 or >= 500)
                {
                    targets.Unanswered(uri, $"HTTP {status}", timedOut: false);
                }
                else
                {
                    targets.Answered(uri);
                }

                return response;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                targets.Unanswered(uri, Reason(ex), timedOut: ex is OperationCanceledException);
                throw;
            }
        }
    }
}
