using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Incidents;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>The function app's [Function] methods, found by reflection as the Worker.Sdk's generator finds them.</summary>
internal static class FunctionClasses
{
    public static Assembly App { get; } = typeof(IncidentQueueMessage).Assembly;

    public static IReadOnlyList<MethodInfo> Methods { get; } = [.. App.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .OrderBy(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal)];

    public static IReadOnlyList<Type> Types { get; } = [.. Methods.Select(m => m.DeclaringType!).Distinct()];

    public static string NameOf(MethodInfo method) => method.GetCustomAttribute<FunctionAttribute>()!.Name;
}
