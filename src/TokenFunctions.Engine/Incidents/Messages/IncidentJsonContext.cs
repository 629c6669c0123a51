using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// Source-generated JSON for the incident-queue contract. Strict on purpose: camelCase names only, no unknown or
/// duplicate properties (a misspelt <c>dryrun</c> must not turn a dry run into a real kill), nulls only where the
/// contract allows them. <c>type</c> may appear anywhere in the object (Logic Apps does not keep property order).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    AllowOutOfOrderMetadataProperties = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = IncidentMessageParser.MaxDepth)]
[JsonSerializable(typeof(IncidentMessage))]
[JsonSerializable(typeof(DisableMessage))]
[JsonSerializable(typeof(RotateMessage))]
[JsonSerializable(typeof(EnableMessage))]
[JsonSerializable(typeof(KillSwitchMessage))]
public sealed partial class IncidentJsonContext : JsonSerializerContext;
