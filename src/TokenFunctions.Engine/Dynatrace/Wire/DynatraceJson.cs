using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary>Reading Dynatrace bodies into the engine's records.</summary>
internal static class DynatraceJson
{
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    /// <summary>Null for an empty or malformed body: the caller decides what that means.</summary>
    public static T? TryDeserialize<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type)
        where T : class
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Null when the id is not a <c>dt0…</c> token id (old-format tokens have none the engine can act on).</summary>
    public static ApiTokenInfo? ToInfo(ApiTokenDto dto) =>
        TokenId.TryParse(dto.Id, out var id)
            ? new ApiTokenInfo
            {
                Id = id,
                Name = dto.Name,
                Enabled = dto.Enabled ?? false,
                Owner = dto.Owner,
                PersonalAccessToken = dto.PersonalAccessToken,
                CreationDate = dto.CreationDate,
                ExpirationDate = dto.ExpirationDate,
                LastUsedDate = dto.LastUsedDate,
                LastUsedIpAddress = dto.LastUsedIpAddress,
                ModifiedDate = dto.ModifiedDate,
                Scopes = dto.Scopes ?? [],
            }
            : null;

    /// <summary>
    /// Null only when <c>tokenId</c> is missing or unsafe to log; a server-form id (e.g. a UUID) is kept, with the
    /// <c>dt0s16</c> id from <paramref name="known"/> when this app has learned it.
    /// </summary>
    public static PlatformTokenInfo? ToInfo(PlatformTokenDto dto, Func<string, TokenId?>? known = null)
    {
        if (!TokenId.TryFromServer(dto.TokenId, out var id))
        {
            return null;
        }

        return new PlatformTokenInfo
        {
            Id = id.IsServerForm && known?.Invoke(dto.TokenId) is { } learned ? learned : id,
            ServerId = dto.TokenId,
            Name = dto.Name,
            Description = dto.Description,
            Status = dto.Status,
            Scopes = dto.Scope ?? [],
            Resources = dto.Resource ?? [],
            Tags = dto.Tags ?? [],
            ExpirationDate = dto.ExpirationDate,
            UserUuid = dto.UserUuid,
            LastUsedAt = dto.Metadata?.LastUsedAt,
            LastClientId = dto.Metadata?.LastClientId,
            LastClientIp = dto.Metadata?.LastClientIp,
        };
    }
}
