using System.Text.Json;
using System.Text.Json.Serialization;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Cli.Storage;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IncidentProgress))]
[JsonSerializable(typeof(StoredLedgerEntry))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
