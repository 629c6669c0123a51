using System.Text.Json;
using System.Text.Json.Serialization;
using TokenFunctions.Engine.Incidents.Handlers;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>JSON for the list-valued columns of the progress table.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<TargetCursor>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class IncidentStoreJsonContext : JsonSerializerContext;
