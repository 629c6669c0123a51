using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Rotation;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(TokenIdJsonConverter)])]
[JsonSerializable(typeof(RotationRecord))]
[JsonSerializable(typeof(List<RetiringToken>))]
internal sealed partial class RotationStateJsonContext : JsonSerializerContext;
