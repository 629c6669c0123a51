using System.Text.Json.Serialization;

namespace TokenFunctions.KeyVaultSandbox.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SecretBundleJson))]
[JsonSerializable(typeof(SecretListJson))]
[JsonSerializable(typeof(SecretSetJson))]
[JsonSerializable(typeof(SecretUpdateJson))]
[JsonSerializable(typeof(KeyVaultErrorEnvelopeJson))]
[JsonSerializable(typeof(IdentityErrorJson))]
[JsonSerializable(typeof(IdentityTokenJson))]
internal sealed partial class KeyVaultJsonContext : JsonSerializerContext;
