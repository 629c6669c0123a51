using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ApiTokenDto))]
[JsonSerializable(typeof(ApiTokenListDto))]
[JsonSerializable(typeof(TokenSecretBody))]
[JsonSerializable(typeof(ApiTokenEnabledBody))]
[JsonSerializable(typeof(V1RevokedBody))]
[JsonSerializable(typeof(ApiTokenCreateBody))]
[JsonSerializable(typeof(ApiTokenCreatedDto))]
[JsonSerializable(typeof(ErrorEnvelopeDto))]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(PlatformTokenDto))]
[JsonSerializable(typeof(PlatformTokenPageDto))]
[JsonSerializable(typeof(PlatformTokenCreateBody))]
[JsonSerializable(typeof(PlatformTokenSecretDto))]
[JsonSerializable(typeof(PlatformTokenStatusBody))]
[JsonSerializable(typeof(OAuthTokenDto))]
[JsonSerializable(typeof(AccountAuditsDto))]
internal sealed partial class DynatraceJsonContext : JsonSerializerContext;
