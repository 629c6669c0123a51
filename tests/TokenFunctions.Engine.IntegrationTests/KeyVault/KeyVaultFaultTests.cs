using Azure;
using Azure.Security.KeyVault.Secrets;
using TokenFunctions.KeyVaultSandbox;
using TokenFunctions.SandboxKit;
using static TokenFunctions.Engine.IntegrationTests.KeyVault.VaultClients;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary>The sandbox's faults as the real <see cref="SecretClient"/> meets them: refused, dropped, hung.</summary>
public sealed class KeyVaultFaultTests
{
    [Fact]
    public async Task Queued_503s_for_one_operation_are_retried_by_the_client_and_then_served()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var seeded = vault.Seed("flaky", NewValue());
        var client = Fast(vault);
        await client.GetPropertiesOfSecretsAsync(Ct).ToListAsync(Ct); // the challenge, so the faults meet authenticated reads
        vault.ResetCounters();
        vault.Faults.Enqueue(KeyVaultFault.Unavailable, times: 2, KeyVaultOperation.GetSecret);

        var listed = await client.GetPropertiesOfSecretsAsync(Ct).ToListAsync(Ct);
        var read = (await client.GetSecretAsync("flaky", cancellationToken: Ct)).Value;

        SameValue(seeded.Value, read.Value);
        Assert.Single(listed);
        Assert.Equal(
            [(503, FaultKind.Status), (503, FaultKind.Status), (200, (FaultKind?)null)],
            vault.Requests.Where(r => r.Operation == KeyVaultOperation.GetSecret).Select(r => (r.StatusCode, r.Fault)));
        Assert.Equal(0, vault.Faults.Pending);
    }

    [Fact]
    public async Task An_unreachable_vault_fails_the_call_once_the_retries_are_spent()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("gone", NewValue());
        vault.Faults.SetPersistent(KeyVaultFault.Reset);
        var client = Fast(vault, maxRetries: 2);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("gone", cancellationToken: Ct));

        // Azure.Core gives up with an AggregateException of one RequestFailedException (status 0) per attempt; the app's
        // client turns it into the RequestFailedException every engine caller handles.
        Assert.Equal(0, error.Status);
        Assert.StartsWith("Key Vault could not be reached: 3 attempt(s) failed without an answer", error.Message, StringComparison.Ordinal);
        var attempts = Assert.IsType<AggregateException>(error.InnerException).InnerExceptions;
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, e => Assert.Equal(0, Assert.IsType<RequestFailedException>(e).Status));
        Assert.Equal(3, vault.CallCount(KeyVaultOperation.GetSecret));
        Assert.All(vault.Requests, r => Assert.Equal((499, FaultKind.Reset), (r.StatusCode, r.Fault)));
    }

    [Fact]
    public async Task A_hung_vault_holds_the_request_until_the_client_times_out()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("slow", NewValue());
        vault.Faults.Enqueue(KeyVaultFault.Hang, target: KeyVaultOperation.GetSecret);
        var client = Fast(vault, maxRetries: 0, networkTimeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("slow", cancellationToken: Ct));

        // Without retries Azure.Core throws its network timeout as a bare TaskCanceledException; the app's client wraps it.
        Assert.Equal(0, error.Status);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.IsType<TaskCanceledException>(error.InnerException);
        Assert.Equal(1, vault.CallCount(KeyVaultOperation.GetSecret));
        Assert.Equal(0, vault.Faults.Pending);
    }

    [Fact]
    public async Task A_hung_request_ends_when_the_caller_cancels_and_the_cancellation_is_not_reported_as_an_outage()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("slow", NewValue());
        vault.Faults.SetPersistent(KeyVaultFault.Hang, KeyVaultOperation.GetSecret);
        var client = Production(vault);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var read = client.GetSecretAsync("slow", cancellationToken: cancel.Token);
        await vault.WhenCalledAsync(KeyVaultOperation.GetSecret, cancellationToken: Ct);
        Assert.False(read.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Theory]
    [InlineData(FaultKind.Delay)]
    [InlineData(FaultKind.Hang)]
    public async Task A_write_whose_client_goes_away_during_an_injected_wait_is_not_applied_and_is_journaled_499(FaultKind kind)
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var client = Fast(vault, maxRetries: 0, networkTimeout: TimeSpan.FromMinutes(5));
        await client.GetPropertiesOfSecretsAsync(Ct).ToListAsync(Ct); // the challenge, so the fault meets the authenticated write
        vault.ResetCounters();
        vault.Faults.Enqueue(kind == FaultKind.Hang ? KeyVaultFault.Hang : KeyVaultFault.Latency(TimeSpan.FromMinutes(1)), target: KeyVaultOperation.SetSecret);

        // A killed worker's write: the request arrived, the client vanished while the vault was still waiting.
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var write = client.SetSecretAsync("in-flight", NewValue(), gone.Token);
        await vault.WhenCalledAsync(KeyVaultOperation.SetSecret, cancellationToken: Ct);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.True(SpinWait.SpinUntil(() => vault.Requests.Any(r => r.Operation == KeyVaultOperation.SetSecret), TimeSpan.FromSeconds(10)));

        var journaled = Assert.Single(vault.Requests, r => r.Operation == KeyVaultOperation.SetSecret);
        Assert.Equal((499, kind, false), (journaled.StatusCode, journaled.Fault, journaled.Authenticated));
        Assert.Empty(vault.Versions("in-flight"));
        Assert.Equal(0, vault.Faults.Pending);
    }
}
