using System.Text.Json;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>A function as the worker described it in its metadata answer, with its trigger binding read out.</summary>
public sealed record LoadedFunction(string Name, string FunctionId, string TriggerType, string TriggerBindingName, IReadOnlyDictionary<string, JsonElement> Trigger)
{
    /// <summary>The HTTP route (<c>api/</c> not included), or null for other triggers.</summary>
    public string? Route => TriggerType == "httpTrigger" ? Text("route") ?? Name : null;

    public IReadOnlyList<string> Methods => Trigger.TryGetValue("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
        ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]
        : [];

    /// <summary>The queue name as declared, e.g. <c>%IncidentQueueName%</c>.</summary>
    public string? QueueName => Text("queueName");

    /// <summary>The schedule as declared, e.g. <c>%RotationSchedule%</c>.</summary>
    public string? Schedule => Text("schedule");

    public string? AuthLevel => Text("authLevel");

    internal static LoadedFunction FromMetadata(string name, string functionId, IEnumerable<string> rawBindings)
    {
        foreach (var raw in rawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString()!;
            if (type.EndsWith("Trigger", StringComparison.Ordinal))
            {
                var properties = root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
                return new LoadedFunction(name, functionId, type, root.GetProperty("name").GetString()!, properties);
            }
        }

        throw new InvalidOperationException($"Function {name} declares no trigger binding.");
    }

    private string? Text(string property) =>
        Trigger.TryGetValue(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
