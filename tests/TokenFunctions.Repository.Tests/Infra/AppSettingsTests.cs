using System.Text.RegularExpressions;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Repository.Tests.Docs;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>
/// The function app's settings hold endpoints, names and Key Vault references: never a secret, never a connection string
/// with a key. Checked on the evaluated settings of every snapshot.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class AppSettingsTests(InfraFixture infra)
{
    /// <summary>What main.bicepparam names; the settings must carry these names and nothing derived from their values.</summary>
    private static readonly Dictionary<string, string> ExpectedKeyVaultReferences = new()
    {
        ["Sources__GitHub__WebhookSecret"] = "github-webhook-secret",
        ["Sources__GitHub__Token"] = "github-api-token",
        ["Sources__GitGuardian__SignatureToken"] = "gitguardian-webhook-secret",
        ["Sources__Generic__Secret"] = "generic-webhook-secret",
        ["Sources__GitLab__Token"] = "gitlab-revocation-token",
    };

    private static readonly string[] KeyMaterialMarkers =
    [
        "listKeys(", "listSecrets(", "listConnectionStrings(", "listAccountSas(", "listServiceSas(", "listCredentials(",
        "AccountKey=", "SharedAccessKey=", "SharedAccessSignature", "sig=", "Password=", "InstrumentationKey=",
    ];

    private static readonly Lazy<SourceText> Source = new(SourceText.Read);

    /// <summary>Read by the platform, not by this code: Application Insights' host integration and Azure.Identity.</summary>
    private static readonly HashSet<string> PlatformSettings = new(StringComparer.Ordinal)
    {
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "AZURE_CLIENT_ID",
    };

    /// <summary>The identity-based connection properties the Functions host and the Azure SDK client factory read.</summary>
    private static readonly HashSet<string> IdentityConnectionProperties = new(StringComparer.Ordinal)
    {
        "fullyQualifiedNamespace", "credential", "clientId", "blobServiceUri", "queueServiceUri", "tableServiceUri",
    };

    [Fact]
    public void Flex_consumption_settings_and_key_based_connection_strings_are_absent()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            var settings = Settings(snapshot);
            string[] forbidden =
            [
                "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
                "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "AzureWebJobsStorage",
                "ServiceBusConnection", "APPINSIGHTS_INSTRUMENTATIONKEY",
            ];
            Assert.All(forbidden, key => Assert.False(settings.ContainsKey(key), $"[{snapshot}] {key} must not be set"));
        }
    }

    [Fact]
    public void Host_storage_connects_with_the_user_assigned_identity()
    {
        var settings = Settings(infra.Default);
        var storage = infra.Default.Single("Microsoft.Storage/storageAccounts").Id;

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(ClientIdOfFunctionIdentity(infra.Default), settings["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Equal($"[reference('{storage}', '2025-01-01').primaryEndpoints.{service}]", settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
        }
    }

    [Fact]
    public void Service_bus_trigger_connects_with_the_identity_to_the_incident_queue()
    {
        var settings = Settings(infra.Default);
        var ns = infra.Default.Single("Microsoft.ServiceBus/namespaces").Id;

        Assert.Contains($"reference('{ns}', '2024-01-01').serviceBusEndpoint", settings["ServiceBusConnection__fullyQualifiedNamespace"], StringComparison.Ordinal);
        Assert.Equal("managedidentity", settings["ServiceBusConnection__credential"]);
        Assert.Equal(ClientIdOfFunctionIdentity(infra.Default), settings["ServiceBusConnection__clientId"]);
        Assert.Equal("incidents", settings["IncidentQueueName"]);
    }

    [Fact]
    public void Telemetry_authenticates_with_the_identity()
    {
        var settings = Settings(infra.Default);
        var component = infra.Default.Single("Microsoft.Insights/components").Id;
        var identity = infra.Default.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id;

        Assert.Equal(
            $"[format('ClientId={{0}};Authorization=AAD', reference('{identity}', '2024-11-30').clientId)]",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal($"[reference('{component}', '2020-02-02').ConnectionString]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Equal(ClientIdOfFunctionIdentity(infra.Default), settings["AZURE_CLIENT_ID"]);
    }

    [Fact]
    public void Webhook_and_api_secrets_are_key_vault_references_to_the_deployed_vault()
    {
        var settings = Settings(infra.Default);
        var vault = infra.Default.Single("Microsoft.KeyVault/vaults").Id;

        foreach (var (key, secretName) in ExpectedKeyVaultReferences)
        {
            Assert.Equal(KeyVaultReference(vault, secretName), settings[key]);
        }

        Assert.Equal($"[reference('{vault}', '2024-11-01').vaultUri]", settings["KeyVault__VaultUri"]);
        // An empty secret name produces no setting rather than a reference to nothing.
        Assert.False(settings.ContainsKey("Notifications__Generic__Url"));
    }

    /// <summary>Any setting whose name says it holds a secret must be a Key Vault reference; names of secrets must be names.</summary>
    [Fact]
    public void Every_secret_shaped_setting_is_a_key_vault_reference_and_every_secret_name_is_a_name()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            var vault = snapshot.Single("Microsoft.KeyVault/vaults").Id;
            foreach (var (key, value) in Settings(snapshot))
            {
                if (key.EndsWith("SecretName", StringComparison.Ordinal))
                {
                    Assert.Matches(KeyVaultSecretName(), value);
                }
                else if (SecretShapedKey().IsMatch(key.Split("__")[^1]) && key != "APPLICATIONINSIGHTS_CONNECTION_STRING")
                {
                    Assert.True(
                        value.StartsWith($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', reference('{vault}', ", StringComparison.Ordinal),
                        $"[{snapshot}] {key} looks like a secret but is not a Key Vault reference to the deployed vault: {value}");
                }
            }
        }
    }

    [Fact]
    public void No_setting_value_carries_a_token_or_key_material()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            foreach (var (key, value) in Settings(snapshot))
            {
                Assert.True(TokenScanner.FindAll(value).Count == 0, $"[{snapshot}] {key} contains a Dynatrace token");
                var marker = KeyMaterialMarkers.FirstOrDefault(m => value.Contains(m, StringComparison.OrdinalIgnoreCase));
                Assert.True(marker is null, $"[{snapshot}] {key} contains key material ({marker})");
            }
        }
    }

    [Fact]
    public void Dynatrace_environments_and_accounts_map_to_the_apps_configuration_keys()
    {
        var settings = Settings(infra.Default);

        Assert.Equal("prod", settings["Dynatrace__Environments__0__Name"]);
        Assert.Equal("https://abc12345.live.dynatrace.com/", settings["Dynatrace__Environments__0__ApiBaseUrl"]);
        Assert.Equal("dynatrace-prod-token", settings["Dynatrace__Environments__0__CredentialSecretName"]);
        Assert.Equal("dynatrace-prod-token-secondary", settings["Dynatrace__Environments__0__SecondaryCredentialSecretName"]);
        Assert.Equal("V2", settings["Dynatrace__Environments__0__DisableApi"]);
        Assert.False(settings.ContainsKey("Dynatrace__Environments__1__Name"));

        Assert.Equal("main", settings["Dynatrace__Accounts__0__Name"]);
        Assert.Equal("00000000-0000-0000-0000-000000000000", settings["Dynatrace__Accounts__0__AccountUuid"]);
        Assert.Equal("dt0s02.EXAMPLE1", settings["Dynatrace__Accounts__0__ClientId"]);
        Assert.Equal("dynatrace-account-main-client-secret", settings["Dynatrace__Accounts__0__ClientSecretSecretName"]);
        // No secondary client configured: no half-filled secondary keys either.
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Dynatrace__Accounts__0__Secondary", StringComparison.Ordinal));
    }

    [Fact]
    public void Kill_switch_rotation_audit_and_sources_sections_are_configured()
    {
        var settings = Settings(infra.Default);

        Assert.Equal("False", settings["KillSwitch__DryRun"], ignoreCase: true);
        Assert.Equal("0 0 3 * * *", settings["RotationSchedule"]);
        Assert.Equal("audit", settings["Audit__TableName"]);
        Assert.Equal("ledger", settings["Sources__Ledger__TableName"]);
        // Settings nothing read (issue 19): the ledger is Sources:Ledger, the partner endpoint is always on, and
        // RotationSchedule wins over Rotation:Schedule in the engine.
        Assert.DoesNotContain("Audit__LedgerTableName", settings.Keys);
        Assert.DoesNotContain("Sources__GitHubPartner__Enabled", settings.Keys);
        Assert.DoesNotContain("Rotation__Schedule", settings.Keys);
        Assert.Contains(".primaryEndpoints.table]", settings["Audit__TableServiceUri"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_store_and_every_timer_schedule_the_function_app_reads_is_set()
    {
        var settings = Settings(infra.Default);

        foreach (var store in new[] { "Audit__TableServiceUri", "Sources__Ledger__ServiceUri", "Incidents__Storage__ServiceUri", "Rotation__State__ServiceUri" })
        {
            Assert.Contains(".primaryEndpoints.table]", settings[store], StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Rotation__Schedule", settings.Keys);
        foreach (var timer in new[] { "RotationSchedule", "SweepSchedule", "ReconciliationSchedule", "HygieneSchedule" })
        {
            Assert.Equal(6, settings[timer].Split(' ').Length);
        }
    }

    [Fact]
    public void The_retry_horizon_and_schedule_and_the_delivery_count_reach_the_app()
    {
        var settings = Settings(infra.Default);

        Assert.Equal("1.00:00:00", settings["Incidents__Retry__Horizon"]);
        Assert.Equal("00:00:30", settings["Incidents__Retry__FirstDelay"]);
        Assert.Equal("01:00:00", settings["Incidents__Retry__MaxDelay"]);
        Assert.Equal("10", settings["Incidents__MaxDeliveryCount"]);
        var defaults = new global::TokenFunctions.Engine.Incidents.IncidentRetryOptions();
        Assert.Equal(defaults.Horizon, TimeSpan.Parse(settings["Incidents__Retry__Horizon"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.FirstDelay, TimeSpan.Parse(settings["Incidents__Retry__FirstDelay"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.MaxDelay, TimeSpan.Parse(settings["Incidents__Retry__MaxDelay"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Optional_parameters_left_out_leave_no_half_configured_settings()
    {
        var settings = Settings(infra.Minimal);

        Assert.Equal("only", settings["Dynatrace__Environments__0__Name"]);
        Assert.Equal("V2", settings["Dynatrace__Environments__0__DisableApi"]);
        Assert.DoesNotContain(settings, s => s.Key.Contains("Secondary", StringComparison.Ordinal));
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Dynatrace__Accounts__", StringComparison.Ordinal));
        Assert.DoesNotContain(settings.Values, v => v.Contains("@Microsoft.KeyVault", StringComparison.Ordinal));
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("KillSwitch__ProtectedTokenIds__", StringComparison.Ordinal));
        Assert.DoesNotContain("Sources__GitHubPartner__Enabled", settings.Keys);
    }

    [Fact]
    public void Every_app_setting_the_template_sets_is_read()
    {
        var unread = infra.AllSnapshots
            .SelectMany(snapshot => Settings(snapshot).Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(key => !IsRead(key))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(unread);
    }

    [Theory]
    [InlineData("Audit__LedgerTableName", false)]
    [InlineData("Sources__GitHubPartner__Enabled", false)]
    [InlineData("Sources__Ledger__TableNam", false)]
    [InlineData("IncidentQueueNam", false)]
    [InlineData("ServiceBusConnection__endpoint", false)]
    [InlineData("Sources__Ledger__TableName", true)]
    [InlineData("Sources__GitHub__WebhookSecret", true)]
    [InlineData("Dynatrace__Environments__3__ApiBaseUrl", true)]
    [InlineData("KillSwitch__ProtectedTokenIds__0", true)]
    [InlineData("IncidentQueueName", true)]
    [InlineData("ServiceBusConnection__fullyQualifiedNamespace", true)]
    public void A_setting_nothing_reads_would_be_caught(string key, bool read) =>
        Assert.Equal(read, IsRead(key));

    /// <summary>
    /// Read by the code: under an options <c>SectionName</c> it starts with, every further segment (list
    /// indexes aside) a property declared in src/, or the rest of the key a string literal the code reads under that
    /// section (<c>"GitHub:WebhookSecret"</c> under <c>Sources</c>); or a top-level key the code names in a string literal
    /// (<c>%IncidentQueueName%</c>, <c>configuration["RotationSchedule"]</c>); or an identity-based connection
    /// (<c>Name__fullyQualifiedNamespace</c> …) whose name the code uses, which the Azure SDK's client factory reads; or
    /// one of the few settings only the platform reads.
    /// </summary>
    private static bool IsRead(string key)
    {
        var segments = key.Split("__");
        if (PlatformSettings.Contains(key))
        {
            return true;
        }

        if (segments.Length == 1)
        {
            return Source.Value.HasLiteral(key);
        }

        if (segments.Length == 2 && IdentityConnectionProperties.Contains(segments[1]) && Source.Value.HasLiteral(segments[0]))
        {
            return true;
        }

        // Sections nest (Sources, Sources:GitHub): the key is read if it is read under any section it starts with.
        return Source.Value.SectionNames
            .Select(name => name.Split(':'))
            .Where(name => name.Length < segments.Length && name.SequenceEqual(segments.Take(name.Length), StringComparer.Ordinal))
            .Select(name => segments.Skip(name.Length).ToList())
            .Any(rest => rest.All(segment => segment.All(char.IsAsciiDigit) || Source.Value.DeclaresProperty(segment))
                || Source.Value.HasWholeLiteral(string.Join(':', rest)));
    }

    private static Dictionary<string, string> Settings(DeploymentSnapshot snapshot)
    {
        var config = snapshot.Named("Microsoft.Web/sites/config", "/appsettings");
        return config.Properties.ToDictionary(p => p.Key, p => p.Value!.ToString());
    }

    private static string ClientIdOfFunctionIdentity(DeploymentSnapshot snapshot)
    {
        var identity = snapshot.OfType("Microsoft.ManagedIdentity/userAssignedIdentities").Single(i => !i.Name.EndsWith("-github", StringComparison.Ordinal));
        return $"[reference('{identity.Id}', '2024-11-30').clientId]";
    }

    private static string KeyVaultReference(string vaultId, string secretName) =>
        $"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', reference('{vaultId}', '2024-11-01').vaultUri, '{secretName}')]";

    /// <summary>Key Vault secret names: 1–127 letters, digits and dashes.</summary>
    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex KeyVaultSecretName();

    /// <summary>The last segment of a setting name that says "this is a secret".</summary>
    [GeneratedRegex("(secret|password|token|apikey|accesskey|connectionstring|connection_string|webhookurl)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretShapedKey();
}
