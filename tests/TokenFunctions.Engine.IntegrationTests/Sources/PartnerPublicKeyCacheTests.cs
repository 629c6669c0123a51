using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.IntegrationTests.Sources;

public sealed class PartnerPublicKeyCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeGitHubServer _server = null!;
    private PartnerPublicKeyCache _cache = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeGitHubServer.StartAsync();
        _server.KeysJson = KeysJson(("docs", FakePartnerKeys.DocsKeyId, FakePartnerKeys.DocsPublicKeyPem));
        var options = Options.Create(new PartnerOptions { KeysUrl = new Uri(_server.BaseUrl, "meta/public_keys/secret_scanning") });
        _cache = new PartnerPublicKeyCache(new PlainHttpClientFactory(), new DictionarySecrets([]), options, _time, NullLogger<PartnerPublicKeyCache>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _cache.Dispose();
        await _server.DisposeAsync();
    }

    private static string KeysJson(params (string Label, string Id, string Pem)[] keys) =>
        JsonSerializer.Serialize(new { public_keys = keys.Select(k => new { key_identifier = k.Id, key = k.Pem, is_current = true }) });

    [Fact]
    public async Task Fetches_once_and_serves_from_cache()
    {
        var first = await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None);
        var second = await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None);
        Assert.Equal(PartnerKeyStatus.Found, first.Status);
        Assert.Same(first.Key, second.Key);
        Assert.Equal(1, _server.KeysHits);
        Assert.True(first.Key!.Verify(System.Text.Encoding.UTF8.GetBytes(FakePartnerKeys.DocsPayload), Convert.FromBase64String(FakePartnerKeys.DocsSignature)));
    }

    [Fact]
    public async Task An_unknown_id_refetches_once_then_is_negatively_cached()
    {
        await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(PartnerKeyStatus.Unknown, (await _cache.GetAsync("forged-1", CancellationToken.None)).Status);
        Assert.Equal(2, _server.KeysHits);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(PartnerKeyStatus.Unknown, (await _cache.GetAsync("forged-1", CancellationToken.None)).Status);
        }

        Assert.Equal(2, _server.KeysHits);
        // Another forged id right away hits the refetch floor, not the endpoint.
        Assert.Equal(PartnerKeyStatus.Unknown, (await _cache.GetAsync("forged-2", CancellationToken.None)).Status);
        Assert.Equal(2, _server.KeysHits);
    }

    [Fact]
    public async Task A_rotated_key_is_picked_up_on_first_use()
    {
        await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None);
        using var rotated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _server.KeysJson = KeysJson(("docs", FakePartnerKeys.DocsKeyId, FakePartnerKeys.DocsPublicKeyPem), ("new", "rotated", rotated.ExportSubjectPublicKeyInfoPem()));
        _server.KeysETag = "\"v2\"";
        _time.Advance(TimeSpan.FromMinutes(1));
        var found = await _cache.GetAsync("rotated", CancellationToken.None);
        Assert.Equal(PartnerKeyStatus.Found, found.Status);
        var body = "[]"u8.ToArray();
        Assert.True(found.Key!.Verify(body, rotated.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.False(found.Key.Verify(body, rotated.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));
    }

    [Fact]
    public async Task Conditional_refresh_keeps_keys_when_not_modified()
    {
        await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(PartnerKeyStatus.Found, (await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None)).Status);
        Assert.Equal(2, _server.KeysHits);
        Assert.Contains(_server.Requests, r => r.Path == "/meta/public_keys/secret_scanning");
    }

    [Fact]
    public async Task When_the_endpoint_is_down_stale_keys_serve_up_to_the_bound_then_503()
    {
        await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None);
        _server.KeysStatus = 500;
        _time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(PartnerKeyStatus.Found, (await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None)).Status);
        Assert.Equal(PartnerKeyStatus.Unavailable, (await _cache.GetAsync("never-seen", CancellationToken.None)).Status);

        _time.Advance(TimeSpan.FromHours(13)); // 25 h since the last good fetch: beyond 30 min + 24 h
        Assert.Equal(PartnerKeyStatus.Unavailable, (await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None)).Status);

        _server.KeysStatus = 200;
        _server.KeysETag = "\"v3\"";
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(PartnerKeyStatus.Found, (await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Without_any_keys_the_answer_is_unavailable_not_unknown()
    {
        _server.KeysStatus = 503;
        Assert.Equal(PartnerKeyStatus.Unavailable, (await _cache.GetAsync(FakePartnerKeys.DocsKeyId, CancellationToken.None)).Status);
    }
}
