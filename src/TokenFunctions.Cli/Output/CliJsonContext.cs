using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunctions.Cli.Output;

/// <summary>Every <c>--output json</c> document, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KillReport))]
[JsonSerializable(typeof(ScanReport))]
[JsonSerializable(typeof(KillSwitchReport))]
[JsonSerializable(typeof(RotateReport))]
[JsonSerializable(typeof(AuditReport))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(DemoReport))]
[JsonSerializable(typeof(SandboxInfo))]
[JsonSerializable(typeof(ErrorReport))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class CliJsonContext : JsonSerializerContext;
