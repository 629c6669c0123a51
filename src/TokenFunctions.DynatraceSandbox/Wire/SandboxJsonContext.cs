using System.Text.Json.Serialization;

namespace TokenFunctions.DynatraceSandbox.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ErrorEnvelopeJson))]
[JsonSerializable(typeof(ApiTokenJson))]
[JsonSerializable(typeof(ApiTokenListJson))]
[JsonSerializable(typeof(TokenSecretJson))]
[JsonSerializable(typeof(ApiTokenCreateJson))]
[JsonSerializable(typeof(ApiTokenCreatedJson))]
[JsonSerializable(typeof(ApiTokenUpdateJson))]
[JsonSerializable(typeof(V1UpdateTokenJson))]
[JsonSerializable(typeof(ListCursorJson))]
[JsonSerializable(typeof(PlatformTokenJson))]
[JsonSerializable(typeof(PlatformTokenPageJson))]
[JsonSerializable(typeof(PlatformTokenCreateJson))]
[JsonSerializable(typeof(PlatformTokenSecretJson))]
[JsonSerializable(typeof(PlatformTokenStatusJson))]
[JsonSerializable(typeof(PlatformTokenExpirationJson))]
[JsonSerializable(typeof(OAuthTokenJson))]
[JsonSerializable(typeof(OAuthErrorJson))]
[JsonSerializable(typeof(AccountAuditsJson))]
[JsonSerializable(typeof(SandboxSeed))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
