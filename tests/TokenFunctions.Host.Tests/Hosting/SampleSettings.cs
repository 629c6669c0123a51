using System.Text.Json;

namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>The <c>Values</c> of <c>local.settings.sample.json</c>: what the hosted app starts from.</summary>
internal static class SampleSettings
{
    public static Dictionary<string, string?> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
    }
}
