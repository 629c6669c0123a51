using System.Text.Json.Serialization;

namespace TokenFunctions.KeyVaultSandbox.Wire;

/// <summary>Key Vault's <c>SecretAttributes</c>: times are Unix seconds.</summary>
internal sealed record SecretAttributesJson(
    bool? Enabled,
    long? Nbf,
    long? Exp,
    long? Created,
    long? Updated,
    string? RecoveryLevel,
    int? RecoverableDays);

/// <summary><c>SecretBundle</c>: GET and PUT answers carry the value; PATCH answers do not.</summary>
internal sealed record SecretBundleJson(
    string? Value,
    string Id,
    string? ContentType,
    SecretAttributesJson Attributes,
    IReadOnlyDictionary<string, string>? Tags);

/// <summary><c>SecretItem</c> of a listing: never a value; the id has a version only in a versions listing.</summary>
internal sealed record SecretItemJson(
    string Id,
    string? ContentType,
    SecretAttributesJson Attributes,
    IReadOnlyDictionary<string, string>? Tags);

internal sealed record SecretListJson(
    IReadOnlyList<SecretItemJson> Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextLink);

/// <summary>What a client may set: <c>SecretSetParameters</c> attributes and the PATCH body's.</summary>
internal sealed record WritableAttributesJson(bool? Enabled, long? Nbf, long? Exp);

/// <summary><c>PUT /secrets/{name}</c> body.</summary>
internal sealed record SecretSetJson(
    string? Value,
    string? ContentType,
    WritableAttributesJson? Attributes,
    Dictionary<string, string>? Tags);

/// <summary><c>PATCH /secrets/{name}/{version}</c> body: what is present is applied, what is absent is kept; tags replace the set.</summary>
internal sealed record SecretUpdateJson(
    string? ContentType,
    WritableAttributesJson? Attributes,
    Dictionary<string, string>? Tags);
