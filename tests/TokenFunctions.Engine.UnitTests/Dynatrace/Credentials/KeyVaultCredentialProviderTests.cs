using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;

namespace TokenFunctions.Engine.UnitTests.Dynatrace.Credentials;

public sealed class KeyVaultCredentialProviderTests
{
    private static readonly CredentialReference Reference = CredentialReference.FromKeyVault("dt-prod");
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<SecretClient> _vault = new(MockBehavior.Strict);
    private int _reads;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KeyVaultCredentialProvider Provider() => new(_vault.Object, _time, TimeSpan.FromMinutes(5));

    private void Returns(Func<string> value) =>
        _vault.Setup(v => v.GetSecretAsync("dt-prod", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                Interlocked.Increment(ref _reads);
                return Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties("dt-prod"), value()), Mock.Of<Response>());
            });

    private void Throws(Exception exception) =>
        _vault.Setup(v => v.GetSecretAsync("dt-prod", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Callback(() => Interlocked.Increment(ref _reads))
            .ThrowsAsync(exception);

    [Fact]
    public async Task A_secret_is_read_once_within_the_cache_duration_and_again_after()
    {
        var value = "v1";
        Returns(() => value);
        var provider = Provider();

        Assert.Equal("v1", await provider.GetAsync(Reference, Ct));
        value = "v2";
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("v1", await provider.GetAsync(Reference, Ct));
        Assert.Equal(1, _reads);

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("v2", await provider.GetAsync(Reference, Ct));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task Concurrent_misses_share_one_read()
    {
        var gate = new TaskCompletionSource();
        _vault.Setup(v => v.GetSecretAsync("dt-prod", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                Interlocked.Increment(ref _reads);
                await gate.Task;
                return Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties("dt-prod"), "v1"), Mock.Of<Response>());
            });
        var provider = Provider();

        var waiting = Enumerable.Range(0, 20).Select(_ => provider.GetAsync(Reference, Ct).AsTask()).ToList();
        gate.SetResult();
        var values = await Task.WhenAll(waiting);

        Assert.All(values, v => Assert.Equal("v1", v));
        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task Invalidate_forces_the_next_read()
    {
        Returns(() => "v1");
        var provider = Provider();
        await provider.GetAsync(Reference, Ct);

        provider.Invalidate(Reference);
        await provider.GetAsync(Reference, Ct);

        Assert.Equal(2, _reads);
    }

    [Theory]
    [InlineData(404, false)]
    [InlineData(403, false)]
    [InlineData(401, false)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public async Task Key_Vault_failures_say_whether_to_retry_and_are_not_cached(int status, bool transient)
    {
        Throws(new RequestFailedException(status, "failure"));
        var provider = Provider();

        var first = await Assert.ThrowsAsync<ManagementCredentialUnavailableException>(() => provider.GetAsync(Reference, Ct).AsTask());
        await Assert.ThrowsAsync<ManagementCredentialUnavailableException>(() => provider.GetAsync(Reference, Ct).AsTask());

        Assert.Equal(transient, first.IsTransient);
        Assert.Equal("keyvault:dt-prod", first.Reference);
        Assert.Contains("keyvault:dt-prod", first.Message, StringComparison.Ordinal);
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_managed_identity_failure_is_transient()
    {
        Throws(new AuthenticationFailedException("no identity"));

        var error = await Assert.ThrowsAsync<ManagementCredentialUnavailableException>(() => Provider().GetAsync(Reference, Ct).AsTask());

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Values_from_settings_are_returned_without_Key_Vault()
    {
        Assert.Equal("local", await Provider().GetAsync(CredentialReference.FromValue("local"), Ct));
        Assert.Equal(0, _reads);
    }

    [Fact]
    public async Task The_settings_provider_refuses_Key_Vault_references_clearly()
    {
        var provider = new SettingsCredentialProvider();

        Assert.Equal("local", await provider.GetAsync(CredentialReference.FromValue("local"), Ct));
        var error = await Assert.ThrowsAsync<ManagementCredentialUnavailableException>(() => provider.GetAsync(Reference, Ct).AsTask());
        Assert.False(error.IsTransient);
        Assert.Contains("KeyVault:VaultUri", error.Message, StringComparison.Ordinal);
    }
}
