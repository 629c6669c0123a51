using System.Net.Http.Headers;
using Polly.Timeout;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// POSTs a rendered incident to a webhook through the channel's named <see cref="HttpClient"/>, whose resilience handler
/// (retry with backoff, per-attempt and total timeouts) is configured in <see cref="NotificationServiceCollectionExtensions"/>.
/// Failures come back as <see cref="NotificationResult"/> with a short reason; the URL never appears in one. The URL is a
/// credential (whoever has it can post to the channel), so it is registered with <see cref="KnownSecrets"/> whole and by
/// its path, and masked wherever it could appear.
/// </summary>
public sealed class WebhookNotificationChannel : INotificationChannel
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly Uri? _url;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly Func<IncidentView, byte[]> _render;

    public WebhookNotificationChannel(string name, Uri? url, IHttpClientFactory httpClientFactory, Func<IncidentView, byte[]> render)
    {
        Name = name;
        _url = url;
        if (url is not null)
        {
            KnownSecrets.Register(url.OriginalString);
            KnownSecrets.Register(url.AbsoluteUri);
            KnownSecrets.Register(url.PathAndQuery.Length > 1 ? url.PathAndQuery : null);
        }

        _httpClientFactory = httpClientFactory;
        _render = render;
    }

    public string Name { get; }

    public bool IsConfigured => _url is not null;

    public async Task<NotificationResult> SendAsync(IncidentView view, CancellationToken cancellationToken)
    {
        if (_url is null)
        {
            return NotificationResult.Failed("not-configured");
        }

        var client = _httpClientFactory.CreateClient(NotificationChannels.HttpClientName(Name));
        using var content = new ByteArrayContent(_render(view));
        content.Headers.ContentType = Json;
        try
        {
            using var response = await client.PostAsync(_url, content, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? NotificationResult.Sent
                : NotificationResult.Failed("status-" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException)
        {
            return NotificationResult.Failed("unreachable");
        }
        catch (TimeoutRejectedException)
        {
            return NotificationResult.Failed("timeout");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotificationResult.Failed("timeout");
        }
    }
}
