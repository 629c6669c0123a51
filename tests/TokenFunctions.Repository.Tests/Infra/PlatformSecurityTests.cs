using System.Text.Json.Nodes;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>Transport, authentication and recoverability settings of every resource, read from the deployment snapshots.</summary>
[Collection(InfraCollection.Name)]
public sealed class PlatformSecurityTests(InfraFixture infra)
{
    private static readonly string[] TlsPropertyNames = ["minTlsVersion", "scmMinTlsVersion", "minimumTlsVersion"];

    [Fact]
    public void Function_app_is_https_only_with_tls_1_2_and_no_ftp()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            var site = snapshot.Single("Microsoft.Web/sites");
            Assert.True(site.Flag("httpsOnly"), $"[{snapshot}] httpsOnly");
            Assert.Equal("1.2", site.Prop("siteConfig.minTlsVersion"));
            Assert.Equal("1.2", site.Prop("siteConfig.scmMinTlsVersion"));
            Assert.Equal("Disabled", site.Prop("siteConfig.ftpsState"));
        }
    }

    [Fact]
    public void Function_app_is_flex_consumption_dotnet_isolated_10_running_as_the_user_assigned_identity()
    {
        var snapshot = infra.Default;
        var plan = snapshot.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan.Json["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Json["sku"]?["tier"]);

        var site = snapshot.Single("Microsoft.Web/sites");
        var identityId = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id;
        Assert.Equal("UserAssigned", (string?)site.Json["identity"]?["type"]);
        Assert.Equal([identityId], site.Json["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
        Assert.Equal(identityId, site.Prop("keyVaultReferenceIdentity"));
        Assert.Equal("dotnet-isolated", site.Prop("functionAppConfig.runtime.name"));
        Assert.Equal("10.0", site.Prop("functionAppConfig.runtime.version"));
        Assert.Equal("blobContainer", site.Prop("functionAppConfig.deployment.storage.type"));
        Assert.Equal("UserAssignedIdentity", site.Prop("functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal(identityId, site.Prop("functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId"));
        var container = snapshot.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.EndsWith($"'{container.Name.Split('/')[^1]}')]", site.Prop("functionAppConfig.deployment.storage.value"), StringComparison.Ordinal);
    }

    [Fact]
    public void Basic_auth_publishing_is_off_for_ftp_and_scm()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            var policies = snapshot.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
            Assert.Equal(["ftp", "scm"], policies.Select(p => p.Name.Split('/')[^1]).Order());
            Assert.All(policies, p => Assert.False(p.Flag("allow"), $"[{snapshot}] {p.Name} allows basic auth"));
        }
    }

    [Fact]
    public void Storage_refuses_shared_keys_public_blobs_plain_http_and_old_tls()
    {
        var storage = infra.Default.Single("Microsoft.Storage/storageAccounts");
        Assert.False(storage.Flag("allowSharedKeyAccess"));
        Assert.False(storage.Flag("allowBlobPublicAccess"));
        Assert.True(storage.Flag("supportsHttpsTrafficOnly"));
        Assert.True(storage.Flag("defaultToOAuthAuthentication"));
        Assert.Equal("TLS1_2", storage.Prop("minimumTlsVersion"));
        Assert.All(
            infra.Default.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", c.Prop("publicAccess")));
    }

    [Fact]
    public void Audit_and_ledger_tables_exist()
    {
        var tables = infra.Default.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(t => t.Name.Split('/')[^1]);
        Assert.Equal(["audit", "ledger"], tables.Order());
    }

    [Fact]
    public void Service_bus_refuses_sas_keys_and_old_tls()
    {
        var ns = infra.Default.Single("Microsoft.ServiceBus/namespaces");
        Assert.True(ns.Flag("disableLocalAuth"));
        Assert.Equal("1.2", ns.Prop("minimumTlsVersion"));
        Assert.Equal("Standard", (string?)ns.Json["sku"]?["name"]);
        Assert.Empty(infra.Default.OfType("Microsoft.ServiceBus/namespaces/AuthorizationRules"));
        Assert.Empty(infra.Default.OfType("Microsoft.ServiceBus/namespaces/queues/authorizationRules"));
    }

    [Fact]
    public void Incident_queue_dead_letters_expired_messages_bounds_deliveries_and_drops_duplicates()
    {
        var queue = infra.Default.Single("Microsoft.ServiceBus/namespaces/queues");
        Assert.EndsWith("/incidents", queue.Name, StringComparison.Ordinal);
        Assert.True(queue.Flag("deadLetteringOnMessageExpiration"));
        Assert.InRange(queue.At("maxDeliveryCount")!.GetValue<int>(), 3, 10);
        Assert.True(queue.Flag("requiresDuplicateDetection"));
        Assert.Equal("PT1H", queue.Prop("duplicateDetectionHistoryTimeWindow"));
        Assert.Equal("PT1M", queue.Prop("lockDuration"));
        Assert.Equal("P14D", queue.Prop("defaultMessageTimeToLive"));
        Assert.False(queue.Flag("requiresSession"));
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection_and_serves_nothing_else()
    {
        var vault = infra.Default.Single("Microsoft.KeyVault/vaults");
        Assert.True(vault.Flag("enableRbacAuthorization"));
        Assert.True(vault.Flag("enableSoftDelete"));
        Assert.True(vault.Flag("enablePurgeProtection"));
        Assert.Equal(90, vault.At("softDeleteRetentionInDays")!.GetValue<int>());
        Assert.Equal("standard", vault.Prop("sku.name"));
        Assert.False(vault.Flag("enabledForDeployment"));
        Assert.False(vault.Flag("enabledForTemplateDeployment"));
        Assert.False(vault.Flag("enabledForDiskEncryption"));
        Assert.Null(vault.At("accessPolicies"));
    }

    [Fact]
    public void Application_insights_accepts_entra_id_ingestion_only()
    {
        var component = infra.Default.Single("Microsoft.Insights/components");
        Assert.True(component.Flag("DisableLocalAuth"));
        Assert.Equal(infra.Default.Single("Microsoft.OperationalInsights/workspaces").Id, component.Prop("WorkspaceResourceId"));
    }

    /// <summary>Every TLS knob on every resource, found by name, so a new resource cannot slip in with TLS 1.0.</summary>
    [Fact]
    public void Every_tls_setting_in_the_deployment_requires_1_2()
    {
        var settings = infra.Widest.Resources
            .SelectMany(r => FindProperties(r.Properties, TlsPropertyNames).Select(v => (r.Name, Value: v)))
            .ToList();

        Assert.True(settings.Count >= 4, $"Expected TLS settings on the site (2), storage and Service Bus; found {settings.Count}.");
        Assert.All(settings, s => Assert.True(s.Value is "1.2" or "TLS1_2" or "1.3" or "TLS1_3", $"{s.Name}: TLS minimum {s.Value}"));
    }

    [Fact]
    public void Function_app_service_bus_and_key_vault_send_diagnostics_to_log_analytics()
    {
        var workspaceId = infra.Default.Single("Microsoft.OperationalInsights/workspaces").Id;
        var diagnostics = infra.Default.OfType("Microsoft.Insights/diagnosticSettings");
        Assert.All(diagnostics, d => Assert.Equal(workspaceId, d.Prop("workspaceId")));

        var byTarget = diagnostics.ToDictionary(d => ResourceIds.TypeOf(d.Id[..d.Id.IndexOf("/providers/Microsoft.Insights/", StringComparison.Ordinal)]));
        Assert.Equal(
            ["Microsoft.KeyVault/vaults", "Microsoft.ServiceBus/namespaces", "Microsoft.Web/sites"],
            byTarget.Keys.Order());
        Assert.Contains(LogCategories(byTarget["Microsoft.KeyVault/vaults"]), c => c == "AuditEvent");
        Assert.Contains(LogCategories(byTarget["Microsoft.Web/sites"]), c => c == "FunctionAppLogs");
        Assert.Contains(LogCategories(byTarget["Microsoft.ServiceBus/namespaces"]), c => c == "allLogs");
    }

    private static IEnumerable<string> LogCategories(PredictedResource setting) =>
        setting.At("logs")!.AsArray()
            .Where(l => l!["enabled"]!.GetValue<bool>())
            .Select(l => (string?)l!["category"] ?? (string)l!["categoryGroup"]!);

    private static IEnumerable<string> FindProperties(JsonNode? node, string[] names)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (names.Contains(key, StringComparer.OrdinalIgnoreCase) && value is JsonValue)
                    {
                        yield return value.ToString();
                    }

                    foreach (var nested in FindProperties(value, names))
                    {
                        yield return nested;
                    }
                }

                break;
            case JsonArray array:
                foreach (var nested in array.SelectMany(item => FindProperties(item, names)))
                {
                    yield return nested;
                }

                break;
        }
    }
}
