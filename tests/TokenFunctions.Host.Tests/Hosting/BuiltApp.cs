using System.Reflection;

namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>Where the build put the function app (the project reference builds it; the tests never load it).</summary>
internal static class BuiltApp
{
    public static string Directory { get; } = Path.GetFullPath(typeof(BuiltApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionAppDirectory").Value!);
}
