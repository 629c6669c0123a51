using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>The <c>fields</c> parameter of the list: defaults, <c>+x</c>/<c>-x</c> changes, or an explicit list.</summary>
[Flags]
internal enum ApiTokenFields
{
    None = 0,
    Id = 1,
    Name = 2,
    Enabled = 4,
    Owner = 8,
    CreationDate = 16,
    PersonalAccessToken = 32,
    ExpirationDate = 64,
    LastUsedDate = 128,
    LastUsedIpAddress = 256,
    ModifiedDate = 512,
    Scopes = 1024,
    AdditionalMetadata = 2048,
    Default = Id | Name | Enabled | Owner | CreationDate,
    All = Default | PersonalAccessToken | ExpirationDate | LastUsedDate | LastUsedIpAddress | ModifiedDate | Scopes | AdditionalMetadata,
}

internal static class ApiTokenFieldsParser
{
    private static readonly Dictionary<string, ApiTokenFields> Names = new(StringComparer.Ordinal)
    {
        ["id"] = ApiTokenFields.Id,
        ["name"] = ApiTokenFields.Name,
        ["enabled"] = ApiTokenFields.Enabled,
        ["owner"] = ApiTokenFields.Owner,
        ["creationDate"] = ApiTokenFields.CreationDate,
        ["personalAccessToken"] = ApiTokenFields.PersonalAccessToken,
        ["expirationDate"] = ApiTokenFields.ExpirationDate,
        ["lastUsedDate"] = ApiTokenFields.LastUsedDate,
        ["lastUsedIpAddress"] = ApiTokenFields.LastUsedIpAddress,
        ["modifiedDate"] = ApiTokenFields.ModifiedDate,
        ["scopes"] = ApiTokenFields.Scopes,
        ["additionalMetadata"] = ApiTokenFields.AdditionalMetadata,
    };

    public static bool TryParse(string? text, out ApiTokenFields fields, out string? error)
    {
        fields = ApiTokenFields.Default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Any(item => item[0] is not ('+' or '-')))
        {
            fields = ApiTokenFields.Id;
        }

        foreach (var item in items)
        {
            var sign = item[0];
            var name = sign is '+' or '-' ? item[1..] : item;
            if (!Names.TryGetValue(name, out var field))
            {
                error = $"Unknown field '{name}'.";
                return false;
            }

            fields = sign == '-' ? fields & ~field : fields | field;
        }

        fields |= ApiTokenFields.Id;
        return true;
    }

    public static ApiTokenJson Project(SandboxApiToken t, ApiTokenFields f) => new()
    {
        Id = t.Id,
        Name = f.HasFlag(ApiTokenFields.Name) ? t.Name : null,
        Enabled = f.HasFlag(ApiTokenFields.Enabled) ? t.Enabled : null,
        Owner = f.HasFlag(ApiTokenFields.Owner) ? t.Owner : null,
        CreationDate = f.HasFlag(ApiTokenFields.CreationDate) ? SandboxHttp.FormatDate(t.CreationDate) : null,
        PersonalAccessToken = f.HasFlag(ApiTokenFields.PersonalAccessToken) ? t.PersonalAccessToken : null,
        ExpirationDate = f.HasFlag(ApiTokenFields.ExpirationDate) ? SandboxHttp.FormatDate(t.ExpirationDate) : null,
        LastUsedDate = f.HasFlag(ApiTokenFields.LastUsedDate) ? SandboxHttp.FormatDate(t.LastUsedDate) : null,
        LastUsedIpAddress = f.HasFlag(ApiTokenFields.LastUsedIpAddress) ? t.LastUsedIpAddress : null,
        ModifiedDate = f.HasFlag(ApiTokenFields.ModifiedDate) ? SandboxHttp.FormatDate(t.ModifiedDate) : null,
        Scopes = f.HasFlag(ApiTokenFields.Scopes) ? t.Scopes : null,
    };
}
