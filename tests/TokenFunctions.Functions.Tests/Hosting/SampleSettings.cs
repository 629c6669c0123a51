using System.Text.Json;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>
/// The <c>Values</c> of <c>local.settings.sample.json</c> as the Functions host hands them to the worker: environment
/// variables, whose <c>__</c> separators configuration reads as <c>:</c>.
/// </summary>
internal static class SampleSettings
{
    public static IReadOnlyDictionary<string, string?> Values { get; } = Load();

    private static Dictionary<string, string?> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
    }
}
