namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>
/// Least privilege, enumerated: every role assignment the deployment makes is one of a short list of (role, scope type)
/// pairs, and each identity gets exactly what it needs.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string WebsiteContributor = "de139f84-1756-47ae-9be6-808fbbe84772";

    private const string StorageAccount = "Microsoft.Storage/storageAccounts";
    private const string Queue = "Microsoft.ServiceBus/namespaces/queues";
    private const string Vault = "Microsoft.KeyVault/vaults";
    private const string VaultSecret = "Microsoft.KeyVault/vaults/secrets";
    private const string Component = "Microsoft.Insights/components";
    private const string Site = "Microsoft.Web/sites";

    /// <summary>The only (role, scope type) pairs allowed anywhere in the deployment.</summary>
    private static readonly HashSet<(string Role, string Scope)> Allowed =
    [
        (StorageBlobDataOwner, StorageAccount),
        (StorageTableDataContributor, StorageAccount),
        (StorageQueueDataContributor, StorageAccount),
        (ServiceBusDataReceiver, Queue),
        (ServiceBusDataSender, Queue),
        (KeyVaultSecretsUser, Vault),
        (KeyVaultSecretsOfficer, Vault),
        (KeyVaultSecretsOfficer, VaultSecret),
        (MonitoringMetricsPublisher, Component),
        (WebsiteContributor, Site),
    ];

    /// <summary>Roles that would each undo the design; named so a failure says which one crept in.</summary>
    private static readonly Dictionary<string, string> Forbidden = new()
    {
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"] = "User Access Administrator",
        ["f58310d9-a9f6-439a-9e8d-f62e7b41a168"] = "Role Based Access Control Administrator",
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = "Key Vault Administrator",
        ["17d1049b-9a84-46fb-8f53-869881c3d3ab"] = "Storage Account Contributor",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
    };

    [Fact]
    public void Every_role_assignment_is_an_allowed_role_at_an_allowed_scope()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            var assignments = Assignments(snapshot);
            Assert.NotEmpty(assignments);
            foreach (var a in assignments)
            {
                Assert.False(Forbidden.TryGetValue(a.Role, out var name), $"[{snapshot}] {name} assigned at {a.ScopeId}");
                Assert.True(Allowed.Contains((a.Role, a.ScopeType)), $"[{snapshot}] role {a.Role} at a {a.ScopeType} ({a.ScopeId}) is not in the allowed set.");
            }
        }
    }

    [Fact]
    public void Role_assignment_names_are_fixed_guids_so_what_if_can_predict_them()
    {
        foreach (var a in infra.AllSnapshots.SelectMany(Assignments))
        {
            Assert.True(Guid.TryParse(a.Resource.Name, out _), $"Role assignment name is not a literal GUID: {a.Resource.Name}");
        }
    }

    [Fact]
    public void Function_identity_gets_exactly_its_data_roles_at_the_narrowest_scope()
    {
        var snapshot = infra.Default;
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id;

        var granted = Assignments(snapshot).Where(a => a.IsFor(identity)).Select(a => (a.Role, a.ScopeType)).Order().ToList();

        (string, string)[] expected =
        [
            (StorageBlobDataOwner, StorageAccount),
            (StorageTableDataContributor, StorageAccount),
            (ServiceBusDataReceiver, Queue),
            (ServiceBusDataSender, Queue),
            (KeyVaultSecretsUser, Vault),
            (KeyVaultSecretsOfficer, Vault),
            (MonitoringMetricsPublisher, Component),
        ];
        Assert.Equal(expected.Order(), granted);
        Assert.All(Assignments(snapshot), a => Assert.True(a.IsFor(identity), $"Unexpected principal {a.PrincipalId}"));
    }

    [Fact]
    public void Service_bus_roles_are_on_the_incident_queue_not_the_namespace()
    {
        var queue = infra.Widest.Single("Microsoft.ServiceBus/namespaces/queues").Id;
        var serviceBusRoles = Assignments(infra.Widest).Where(a => a.Role is ServiceBusDataReceiver or ServiceBusDataSender).ToList();

        Assert.Equal(3, serviceBusRoles.Count);
        Assert.All(serviceBusRoles, a => Assert.Equal(queue, a.ScopeId));
    }

    [Fact]
    public void Listing_rotation_secrets_moves_secrets_officer_from_the_vault_to_those_secrets()
    {
        var officer = Assignments(infra.Widest).Where(a => a.Role == KeyVaultSecretsOfficer).ToList();

        Assert.DoesNotContain(officer, a => a.ScopeType == Vault);
        Assert.Equal(InfraFixture.PerSecretRotationNames.Order(), officer.Select(a => a.ScopeId.Split('/')[^1]).Order());
        Assert.All(officer, a => Assert.Equal(VaultSecret, a.ScopeType));
        // Reading stays possible for everything else in the vault.
        Assert.Single(Assignments(infra.Widest), a => a.Role == KeyVaultSecretsUser && a.ScopeType == Vault);
    }

    [Fact]
    public void External_incident_senders_may_only_send_to_the_queue()
    {
        var external = Assignments(infra.Widest).Where(a => a.PrincipalId == InfraFixture.ExternalSenderPrincipalId).ToList();

        var only = Assert.Single(external);
        Assert.Equal(ServiceBusDataSender, only.Role);
        Assert.Equal(Queue, only.ScopeType);
    }

    [Fact]
    public void Storage_queue_access_is_granted_only_when_asked_for()
    {
        Assert.DoesNotContain(Assignments(infra.Default), a => a.Role == StorageQueueDataContributor);
        Assert.Contains(Assignments(infra.Widest), a => a.Role == StorageQueueDataContributor && a.ScopeType == StorageAccount);
    }

    [Fact]
    public void GitHub_deployer_federates_one_environment_and_may_only_publish_to_the_site()
    {
        var snapshot = infra.Staging;
        var deployer = snapshot.Named("Microsoft.ManagedIdentity/userAssignedIdentities", "-github");
        var credential = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials");
        Assert.StartsWith($"{deployer.Name}/", credential.Name, StringComparison.Ordinal);
        Assert.Equal("https://token.actions.githubusercontent.com", credential.Prop("issuer"));
        Assert.Equal($"repo:{InfraFixture.GitHubRepository}:environment:staging", credential.Prop("subject"));
        Assert.Equal(["api://AzureADTokenExchange"], credential.At("audiences")!.AsArray().Select(a => (string)a!));

        var grants = Assignments(snapshot).Where(a => a.IsFor(deployer.Id)).ToList();
        var grant = Assert.Single(grants);
        Assert.Equal(WebsiteContributor, grant.Role);
        Assert.Equal(snapshot.Single("Microsoft.Web/sites").Id, grant.ScopeId);
    }

    [Fact]
    public void Without_a_repository_no_deployer_identity_exists()
    {
        Assert.Single(infra.Default.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Empty(infra.Default.OfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"));
        Assert.DoesNotContain(Assignments(infra.Default), a => a.Role == WebsiteContributor);
    }

    private static List<Assignment> Assignments(DeploymentSnapshot snapshot) =>
        snapshot.OfType("Microsoft.Authorization/roleAssignments").Select(r => new Assignment(r)).ToList();

    private sealed record Assignment(PredictedResource Resource)
    {
        public string Role => ResourceIds.RoleGuidOf(Resource.Prop("roleDefinitionId")!);

        public string ScopeId => ResourceIds.ScopeOfRoleAssignment(Resource.Id);

        public string ScopeType => ResourceIds.TypeOf(ScopeId);

        public string PrincipalId => Resource.Prop("principalId")!;

        /// <summary>Principal ids are known only after deployment; the snapshot shows <c>reference('&lt;identity id&gt;', …).principalId</c>.</summary>
        public bool IsFor(string identityId) =>
            PrincipalId.StartsWith($"[reference('{identityId}', ", StringComparison.Ordinal) && PrincipalId.EndsWith(").principalId]", StringComparison.Ordinal);
    }
}
