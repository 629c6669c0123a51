namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>Reads Azure resource ids: the resource type at a scope, and the scope of an extension resource.</summary>
internal static class ResourceIds
{
    private const string RoleAssignmentSegment = "/providers/Microsoft.Authorization/roleAssignments/";

    /// <summary>The resource a role assignment is attached to (its id without the roleAssignments suffix).</summary>
    public static string ScopeOfRoleAssignment(string roleAssignmentId)
    {
        var at = roleAssignmentId.LastIndexOf(RoleAssignmentSegment, StringComparison.OrdinalIgnoreCase);
        Assert.True(at > 0, $"Not a role assignment id: {roleAssignmentId}");
        return roleAssignmentId[..at];
    }

    /// <summary>
    /// <c>…/providers/Microsoft.ServiceBus/namespaces/ns/queues/q</c> → <c>Microsoft.ServiceBus/namespaces/queues</c>;
    /// a resource group or subscription id → <c>resourceGroup</c> or <c>subscription</c>.
    /// </summary>
    public static string TypeOf(string resourceId)
    {
        var parts = resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindIndex(parts, p => p.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers < 0)
        {
            return parts.Any(p => p.Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)) ? "resourceGroup" : "subscription";
        }

        var types = new List<string> { parts[providers + 1] };
        for (var i = providers + 2; i < parts.Length; i += 2)
        {
            types.Add(parts[i]);
        }

        return string.Join('/', types);
    }

    /// <summary>The last segment of a role definition id: the role's GUID.</summary>
    public static string RoleGuidOf(string roleDefinitionId) => roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..];
}
