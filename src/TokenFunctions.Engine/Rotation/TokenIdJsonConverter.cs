using System.Text.Json;
using System.Text.Json.Serialization;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// A <see cref="TokenId"/> as its string (a platform token's server-form id included); anything else in the state row is
/// corrupt and fails loudly.
/// </summary>
internal sealed class TokenIdJsonConverter : JsonConverter<TokenId>
{
    public override TokenId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TokenId.TryFromServer(reader.GetString(), out var id) ? id : throw new JsonException("Not a Dynatrace token id.");

    public override void Write(Utf8JsonWriter writer, TokenId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
