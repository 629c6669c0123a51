using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

public sealed class DynatraceOptionsValidatorTests
{
    private static readonly KeyVaultOptions Vault = new() { VaultUri = new Uri("https://kv.vault.azure.net/") };

    private static DynatraceOptions Valid() => new()
    {
        Environments =
        [
            new() { Name = "prod", ApiBaseUrl = "https://abc12345.live.dynatrace.com/", CredentialSecretName = "dt-prod" },
            new() { Name = "managed", ApiBaseUrl = "https://dynatrace.example.com/e/1f2e3d4c", CredentialSecretName = "dt-managed", SecondaryCredentialSecretName = "dt-managed-2", DisableApi = DisableApi.V1 },
        ],
        Accounts =
        [
            new() { Name = "acme", AccountUuid = "2b794097-8ad2-4b32-b923-0131da2eeddf", ClientId = "dt0s02.ABCDEFGH", ClientSecretSecretName = "dt-oauth" },
        ],
    };

    [Fact]
    public void A_complete_configuration_passes()
    {
        Assert.Empty(DynatraceOptionsValidator.Validate(Valid(), Vault));
    }

    [Fact]
    public void Local_values_need_no_Key_Vault_and_a_loopback_sandbox_may_use_http()
    {
        var options = new DynatraceOptions
        {
            Environments = [new() { Name = "local", ApiBaseUrl = "http://127.0.0.1:5055/e/env1/", Credential = "local-admin-env1" }],
            Accounts = [new() { Name = "acct", AccountUuid = Guid.NewGuid().ToString(), ClientId = "dt0s02.LOCALCLI", ClientSecret = "x", SsoTokenEndpoint = "http://localhost:5055/sso/oauth2/token", ApiBaseUrl = "http://localhost:5055/" }],
        };

        Assert.Empty(DynatraceOptionsValidator.Validate(options, null));
    }

    [Fact]
    public void Nothing_configured_is_an_error()
    {
        Assert.Contains(DynatraceOptionsValidator.Validate(new DynatraceOptions(), Vault), f => f.Contains("at least one environment", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "Dynatrace:Environments:0:ApiBaseUrl is required")]
    [InlineData("abc12345.live.dynatrace.com", "is not an absolute http(s) URL")]
    [InlineData("http://abc12345.live.dynatrace.com/", "must use https")]
    [InlineData("https://abc12345.live.dynatrace.com/api/v2/", "must stop before /api")]
    [InlineData("https://abc12345.live.dynatrace.com/api", "must stop before /api")]
    [InlineData("https://abc12345.live.dynatrace.com/?x=1", "must not contain a query")]
    [InlineData("ftp://abc12345.live.dynatrace.com/", "is not an absolute http(s) URL")]
    public void Bad_environment_base_URLs_are_named(string? url, string expected)
    {
        var options = Valid();
        options.Environments[0].ApiBaseUrl = url;

        Assert.Contains(DynatraceOptionsValidator.Validate(options, Vault), f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Exactly_one_credential_source_is_required()
    {
        var options = Valid();
        options.Environments[0].Credential = "value";
        options.Environments[1].CredentialSecretName = null;

        var failures = DynatraceOptionsValidator.Validate(options, Vault);

        Assert.Contains("Set only one of Dynatrace:Environments:0:CredentialSecretName or Dynatrace:Environments:0:Credential.", failures);
        Assert.Contains(failures, f => f.StartsWith("Set Dynatrace:Environments:1:CredentialSecretName (Key Vault secret name)", StringComparison.Ordinal));
    }

    [Fact]
    public void Key_Vault_names_need_a_vault_URI()
    {
        Assert.Contains(DynatraceOptionsValidator.Validate(Valid(), null), f => f.StartsWith("KeyVault:VaultUri is required", StringComparison.Ordinal));
        Assert.Contains(
            DynatraceOptionsValidator.Validate(Valid(), new KeyVaultOptions { VaultUri = new Uri("http://kv.vault.azure.net/") }),
            f => f.StartsWith("KeyVault:VaultUri must be an absolute https URL", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_pasted_where_a_name_belongs_is_caught_without_echoing_the_secret()
    {
        const string Secret = "dt0s02.ABCDEFGH.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
        var options = Valid();
        options.Environments[0].CredentialSecretName = Secret;
        options.Accounts[0].ClientId = Secret;

        var failures = DynatraceOptionsValidator.Validate(options, Vault);

        Assert.Contains(failures, f => f.Contains("looks like a token", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ClientId looks like a client secret", StringComparison.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain("G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Names_must_be_present_and_unique_across_environments_and_accounts()
    {
        var options = Valid();
        options.Environments[1].Name = "PROD";
        options.Accounts[0].Name = " ";

        var failures = DynatraceOptionsValidator.Validate(options, Vault);

        Assert.Contains(failures, f => f.StartsWith("Dynatrace:Environments:1:Name 'PROD' is used twice", StringComparison.Ordinal));
        Assert.Contains("Dynatrace:Accounts:0:Name is required.", failures);
    }

    [Theory]
    [InlineData("account-idm-read;account-idm-write")]
    [InlineData("\"account-idm-read\"")]
    public void Account_scopes_must_be_well_formed(string scopes)
    {
        var options = Valid();
        options.Accounts[0].Scopes = scopes;

        Assert.Contains(DynatraceOptionsValidator.Validate(options, Vault), f => f.StartsWith("Dynatrace:Accounts:0:Scopes", StringComparison.Ordinal) && f.Contains("is not an OAuth scope name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("account-idm-read account-idm-write")]
    [InlineData("account-idm-read, platform-token:tokens:manage")]
    public void Default_and_least_scope_lists_pass(string? scopes)
    {
        var options = Valid();
        options.Accounts[0].Scopes = scopes;

        Assert.DoesNotContain(DynatraceOptionsValidator.Validate(options, Vault), f => f.Contains("Scopes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void The_account_UUID_must_be_a_real_UUID(string? uuid)
    {
        var options = Valid();
        options.Accounts[0].AccountUuid = uuid;

        Assert.Contains(DynatraceOptionsValidator.Validate(options, Vault), f => f.StartsWith("Dynatrace:Accounts:0:AccountUuid", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secondary_OAuth_client_needs_both_id_and_secret()
    {
        var options = Valid();
        options.Accounts[0].SecondaryClientId = "dt0s02.SECONDAR";

        Assert.Contains(DynatraceOptionsValidator.Validate(options, Vault), f => f.Contains("set both SecondaryClientId and SecondaryClientSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_value_as_primary_and_secondary_credential_is_refused()
    {
        var options = new DynatraceOptions
        {
            Environments = [new() { Name = "x", ApiBaseUrl = "https://x.live.dynatrace.com", Credential = "same", SecondaryCredential = "same" }],
        };

        Assert.Contains(DynatraceOptionsValidator.Validate(options, null), f => f.Contains("secondary credential must be a different token", StringComparison.Ordinal));
    }

    [Fact]
    public void Timing_settings_are_range_checked()
    {
        var options = Valid();
        options.RequestDeadline = TimeSpan.FromMilliseconds(10);
        options.AttemptTimeout = TimeSpan.FromSeconds(30);
        options.RetryMaxDelay = TimeSpan.FromMilliseconds(1);
        options.MaxRetryAttempts = -1;

        var failures = DynatraceOptionsValidator.Validate(options, Vault);

        Assert.Contains(failures, f => f.StartsWith("Dynatrace:RequestDeadline must be between", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Dynatrace:AttemptTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Dynatrace:RetryMaxDelay", StringComparison.Ordinal));
        Assert.Contains("Dynatrace:MaxRetryAttempts must be between 0 and 100.", failures);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new DynatraceOptions();

        Assert.Equal(TimeSpan.FromSeconds(8), options.RequestDeadline);
        Assert.Equal(TimeSpan.FromSeconds(60), options.BearerRefreshMargin);
        Assert.True(options.AttemptTimeout < options.RequestDeadline);
    }

    [Fact]
    public void Options_map_to_the_engine_records_with_normalised_base_URLs()
    {
        var options = Valid();

        var managed = options.Environments[1].ToEnvironment();
        var account = options.Accounts[0].ToAccount();

        Assert.Equal("https://dynatrace.example.com/e/1f2e3d4c/", managed.ApiBaseUrl.ToString());
        Assert.Equal(DisableApi.V1, managed.DisableApi);
        Assert.Equal("dt-managed", managed.Credential.KeyVaultSecretName);
        Assert.Equal("dt-managed-2", managed.SecondaryCredential!.KeyVaultSecretName);
        Assert.Null(options.Environments[0].ToEnvironment().SecondaryCredential);
        Assert.Equal(Guid.Parse("2b794097-8ad2-4b32-b923-0131da2eeddf"), account.AccountUuid);
        Assert.Equal(new Uri("https://sso.dynatrace.com/sso/oauth2/token"), account.SsoTokenEndpoint);
        Assert.Equal(new Uri("https://api.dynatrace.com/"), account.ApiBaseUrl);
        // No Scopes setting: the docs' family first, the published OpenAPI's second (one fallback).
        Assert.Null(account.Scopes);
        Assert.Equal([PlatformScopeFamily.AccountIdm, PlatformScopeFamily.PlatformToken], account.ScopeFamilies);
        Assert.Equal("account-idm-read account-idm-write", account.ScopeFamilies[0].Scopes);
        Assert.False(account.ReadAuditLog);
        Assert.Equal([PlatformScopeFamily.Configured("a b")], (account with { Scopes = "a b" }).ScopeFamilies);
    }
}
