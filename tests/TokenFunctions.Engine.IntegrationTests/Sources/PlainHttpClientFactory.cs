namespace TokenFunctions.Engine.IntegrationTests.Sources;

/// <summary>Plain clients (no resilience handler), for testing a client's own logic against a loopback server.</summary>
public sealed class PlainHttpClientFactory : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new();
}
