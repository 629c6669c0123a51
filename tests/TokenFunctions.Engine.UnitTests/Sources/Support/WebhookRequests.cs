using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.Http;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>Builds <see cref="DefaultHttpContext"/> requests the way each sender would, and runs results.</summary>
public static class WebhookRequests
{
    public static HttpRequest Post(byte[] body, string? contentType = "application/json", bool declareLength = true, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        if (declareLength)
        {
            context.Request.ContentLength = body.Length;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    public static HttpRequest GitHubAlert(byte[] body, string secret = SourcesHarness.GitHubSecret, string gitHubEvent = GitHubAlertEndpoint.AlertEvent, string? delivery = null) =>
        Post(body, headers:
        [
            (GitHubAlertEndpoint.SignatureHeader, SignedBodies.Sign(secret, body)),
            (GitHubAlertEndpoint.EventHeader, gitHubEvent),
            (GitHubAlertEndpoint.DeliveryHeader, delivery ?? Guid.NewGuid().ToString()),
        ]);

    public static HttpRequest GitGuardian(byte[] body, long timestamp, string token = SourcesHarness.GitGuardianToken) =>
        Post(body, headers:
        [
            (GitGuardianEndpoint.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (GitGuardianEndpoint.SignatureHeader, SignedBodies.Sign(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + token, body)),
        ]);

    public static HttpRequest Generic(byte[] body, long timestamp, string secret = SourcesHarness.GenericSecret)
    {
        var ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Post(body, headers:
        [
            (GenericWebhookEndpoint.TimestampHeader, ts),
            (GenericWebhookEndpoint.SignatureHeader, SignedBodies.Sign(secret, body, ts + ".")),
        ]);
    }

    public static HttpRequest GitLab(byte[] body, string? authorization = SourcesHarness.GitLabToken, string method = "POST")
    {
        var request = Post(body);
        request.Method = method;
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        return request;
    }

    public static HttpRequest Partner(byte[] body, string keyId, string signature) =>
        Post(body, headers: [("Github-Public-Key-Identifier", keyId), ("Github-Public-Key-Signature", signature)]);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Runs the result against a fresh response, as a host would.</summary>
    public static async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IActionResult result)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers);
    }

    public static int Status(IActionResult result) => ((WebhookResult)result).StatusCode;
}
