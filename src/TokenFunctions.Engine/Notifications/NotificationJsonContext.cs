using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Notifications;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TeamsMessage))]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(GenericIncidentPayload))]
public sealed partial class NotificationJsonContext : JsonSerializerContext;
