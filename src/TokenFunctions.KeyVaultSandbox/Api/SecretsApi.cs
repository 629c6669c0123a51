using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using TokenFunctions.KeyVaultSandbox.State;
using TokenFunctions.KeyVaultSandbox.Wire;

namespace TokenFunctions.KeyVaultSandbox.Api;

/// <summary>
/// The secrets calls the app makes, with Key Vault's semantics: the latest version is the newest created one; PATCH
/// applies what its body carries (tags replace the set); a disabled version's read is 403; a missing secret or version
/// is 404 <c>SecretNotFound</c>; expiry (<c>exp</c>/<c>nbf</c>) is kept but not enforced on reads, as the service does;
/// lists are paged with an absolute <c>nextLink</c>. Every request needs a bearer this sandbox issued, else 401 with the
/// bearer challenge.
/// </summary>
internal sealed partial class SecretsApi(VaultState state)
{
    /// <summary>Key Vault's limits (the secrets page documents 15 tags of 512-character names and values; older pages said 256).</summary>
    private const int MaxTags = 15;
    private const int MaxTagNameLength = 512;
    private const int MaxTagValueLength = 512;
    private const int MaxValueLength = 25 * 1024;
    private const int MaxPageSize = 25;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var route = VaultRoute.Parse(request.Method, request.Path.Value ?? "/");
        state.Count(route.Operation);
        var fault = await FaultResponder.ApplyAsync(context, route.Operation, state);
        var authenticated = fault is null && IsAuthenticated(request);
        if (fault is null)
        {
            await RespondAsync(context, route, authenticated);
        }

        state.Record(new KeyVaultRequest(
            route.Operation,
            request.Method,
            request.Path.Value ?? "/",
            request.QueryString.Value ?? string.Empty,
            route.Name,
            route.Version,
            authenticated,
            context.Response.StatusCode,
            fault));
    }

    private Task RespondAsync(HttpContext context, VaultRoute route, bool authenticated)
    {
        if (!authenticated)
        {
            return ChallengeAsync(context);
        }

        if (route.Operation == KeyVaultOperation.Unsupported)
        {
            return VaultHttp.WriteErrorAsync(
                context, 501, "NotImplemented", $"The Key Vault sandbox does not serve {context.Request.Method} {context.Request.Path}.");
        }

        if (string.IsNullOrEmpty(context.Request.Query["api-version"]))
        {
            return VaultHttp.WriteBadParameterAsync(context, "The 'api-version' query parameter is required.");
        }

        if (route.Name is { } name && !SecretName().IsMatch(name))
        {
            return VaultHttp.WriteBadParameterAsync(context, $"The request URI contains an invalid name: {name}");
        }

        return route.Operation switch
        {
            KeyVaultOperation.SetSecret => SetAsync(context, route.Name!),
            KeyVaultOperation.GetSecret => GetAsync(context, route.Name!, route.Version),
            KeyVaultOperation.UpdateSecretProperties => UpdateAsync(context, route.Name!, route.Version),
            KeyVaultOperation.ListSecrets => ListSecretsAsync(context),
            _ => ListVersionsAsync(context, route.Name!),
        };
    }

    private bool IsAuthenticated(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header
        && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && state.IsVaultToken(header["Bearer ".Length..].Trim());

    /// <summary>What the service answers a request without a usable bearer; the SDK then asks its credential for a token.</summary>
    private Task ChallengeAsync(HttpContext context)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] =
            $"Bearer authorization=\"https://login.windows.net/{state.TenantId}\", resource=\"{VaultState.VaultResource}\"";
        var message = context.Request.Headers.Authorization.Count == 0
            ? "AKV10000: Request is missing a Bearer or PoP token."
            : "AKV10022: Invalid audience or token.";
        return VaultHttp.WriteErrorAsync(context, 401, "Unauthorized", message);
    }

    private async Task SetAsync(HttpContext context, string name)
    {
        var body = await VaultHttp.ReadJsonAsync(context, KeyVaultJsonContext.Default.SecretSetJson);
        if (body is null)
        {
            return;
        }

        if (body.Value is null)
        {
            await VaultHttp.WriteBadParameterAsync(context, "The secret value is required.");
            return;
        }

        if (body.Value.Length > MaxValueLength || TagsProblem(body.Tags) is not null)
        {
            await VaultHttp.WriteBadParameterAsync(context, TagsProblem(body.Tags) ?? $"The secret value exceeds {MaxValueLength} characters.");
            return;
        }

        var now = Now();
        StoredVersion stored;
        lock (state.Gate)
        {
            // Under the gate: creation order (the sequence) and list order must agree, or "latest" would be ambiguous.
            var versionId = state.NextVersionId(out var sequence);
            if (!state.Secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                state.Secrets[name] = versions;
            }

            stored = new StoredVersion
            {
                Name = versions.Count > 0 ? versions[0].Name : name,
                Version = versionId,
                Sequence = sequence,
                Value = body.Value,
                ContentType = body.ContentType,
                Enabled = body.Attributes?.Enabled ?? true,
                NotBefore = VaultHttp.FromUnixSeconds(body.Attributes?.Nbf),
                ExpiresOn = VaultHttp.FromUnixSeconds(body.Attributes?.Exp),
                CreatedOn = now,
                UpdatedOn = now,
                Tags = body.Tags is null ? new(StringComparer.Ordinal) : new(body.Tags, StringComparer.Ordinal),
            };
            versions.Add(stored);
        }

        await WriteBundleAsync(context, stored, withValue: true);
    }

    private async Task GetAsync(HttpContext context, string name, string? version)
    {
        StoredVersion? found;
        lock (state.Gate)
        {
            found = Find(name, version);
        }

        if (found is null)
        {
            await VaultHttp.WriteNotFoundAsync(context, version is null ? name : $"{name}/{version}");
        }
        else if (!found.Enabled)
        {
            await VaultHttp.WriteErrorAsync(context, 403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
        }
        else
        {
            await WriteBundleAsync(context, found, withValue: true);
        }
    }

    private async Task UpdateAsync(HttpContext context, string name, string? version)
    {
        var body = await VaultHttp.ReadJsonAsync(context, KeyVaultJsonContext.Default.SecretUpdateJson);
        if (body is null)
        {
            return;
        }

        if (TagsProblem(body.Tags) is { } problem)
        {
            await VaultHttp.WriteBadParameterAsync(context, problem);
            return;
        }

        StoredVersion? found;
        lock (state.Gate)
        {
            found = Find(name, version);
            if (found is not null)
            {
                found.ContentType = body.ContentType ?? found.ContentType;
                found.Enabled = body.Attributes?.Enabled ?? found.Enabled;
                found.NotBefore = VaultHttp.FromUnixSeconds(body.Attributes?.Nbf) ?? found.NotBefore;
                found.ExpiresOn = VaultHttp.FromUnixSeconds(body.Attributes?.Exp) ?? found.ExpiresOn;
                if (body.Tags is not null)
                {
                    found.Tags = new Dictionary<string, string>(body.Tags, StringComparer.Ordinal);
                }

                found.UpdatedOn = Now();
            }
        }

        if (found is null)
        {
            await VaultHttp.WriteNotFoundAsync(context, version is null ? name : $"{name}/{version}");
            return;
        }

        await WriteBundleAsync(context, found, withValue: false);
    }

    /// <summary>Each secret once, with its latest version's attributes and tags; ordered by name, continued after the last name.</summary>
    private Task ListSecretsAsync(HttpContext context)
    {
        if (PageSizeOf(context) is not { } size)
        {
            return VaultHttp.WriteBadParameterAsync(context, "maxresults must be between 1 and 25.");
        }

        var after = SkipToken(context);
        List<StoredVersion> page;
        bool more;
        lock (state.Gate)
        {
            var latest = state.Secrets.Values
                .Select(versions => versions[^1])
                .Where(v => after is null || string.Compare(v.Name, after, StringComparison.OrdinalIgnoreCase) > 0)
                .OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
                .Take(size + 1)
                .ToList();
            more = latest.Count > size;
            page = [.. latest.Take(size)];
        }

        var items = page.Select(v => Item(v, new Uri(state.VaultUri, $"secrets/{v.Name}"))).ToList();
        var next = more ? NextLink(context, "secrets", page[^1].Name, size) : null;
        return VaultHttp.WriteJsonAsync(context, 200, new SecretListJson(items, next), KeyVaultJsonContext.Default.SecretListJson);
    }

    /// <summary>Every version in creation order; a secret that does not exist lists empty (the service answers 200 with no items).</summary>
    private Task ListVersionsAsync(HttpContext context, string name)
    {
        if (PageSizeOf(context) is not { } size)
        {
            return VaultHttp.WriteBadParameterAsync(context, "maxresults must be between 1 and 25.");
        }

        var after = long.TryParse(SkipToken(context), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
        List<StoredVersion> page;
        bool more;
        lock (state.Gate)
        {
            var versions = state.Secrets.TryGetValue(name, out var all) ? all.Where(v => v.Sequence > after).Take(size + 1).ToList() : [];
            more = versions.Count > size;
            page = [.. versions.Take(size)];
        }

        var items = page.Select(v => Item(v, IdOf(v))).ToList();
        var next = more ? NextLink(context, $"secrets/{page[0].Name}/versions", page[^1].Sequence.ToString(CultureInfo.InvariantCulture), size) : null;
        return VaultHttp.WriteJsonAsync(context, 200, new SecretListJson(items, next), KeyVaultJsonContext.Default.SecretListJson);
    }

    /// <summary>The named version, or the newest created one when <paramref name="version"/> is null. Call under the gate.</summary>
    private StoredVersion? Find(string name, string? version) =>
        !state.Secrets.TryGetValue(name, out var versions) ? null
        : version is null ? versions[^1]
        : versions.FirstOrDefault(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase));

    private int? PageSizeOf(HttpContext context)
    {
        var configured = Math.Clamp(state.PageSize, 1, MaxPageSize);
        var asked = context.Request.Query["maxresults"].ToString();
        if (asked.Length == 0)
        {
            return configured;
        }

        return int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPageSize ? Math.Min(n, configured) : null;
    }

    private static string? SkipToken(HttpContext context)
    {
        var token = context.Request.Query["$skiptoken"].ToString();
        if (token.Length == 0)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string NextLink(HttpContext context, string path, string after, int size)
    {
        var apiVersion = Uri.EscapeDataString(context.Request.Query["api-version"].ToString());
        var token = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(after));
        return new Uri(state.VaultUri, $"{path}?api-version={apiVersion}&$skiptoken={token}&maxresults={size}").AbsoluteUri;
    }

    private Uri IdOf(StoredVersion version) => new(state.VaultUri, $"secrets/{version.Name}/{version.Version}");

    private Task WriteBundleAsync(HttpContext context, StoredVersion version, bool withValue)
    {
        SecretBundleJson bundle;
        lock (state.Gate)
        {
            bundle = new SecretBundleJson(
                withValue ? version.Value : null,
                IdOf(version).AbsoluteUri,
                version.ContentType,
                Attributes(version),
                version.Tags.Count == 0 ? null : new Dictionary<string, string>(version.Tags, StringComparer.Ordinal));
        }

        return VaultHttp.WriteJsonAsync(context, 200, bundle, KeyVaultJsonContext.Default.SecretBundleJson);
    }

    private static SecretItemJson Item(StoredVersion version, Uri id) =>
        new(id.AbsoluteUri, version.ContentType, Attributes(version), version.Tags.Count == 0 ? null : new Dictionary<string, string>(version.Tags, StringComparer.Ordinal));

    private static SecretAttributesJson Attributes(StoredVersion version) => new(
        version.Enabled,
        VaultHttp.UnixSeconds(version.NotBefore),
        VaultHttp.UnixSeconds(version.ExpiresOn),
        version.CreatedOn.ToUnixTimeSeconds(),
        version.UpdatedOn.ToUnixTimeSeconds(),
        "Recoverable+Purgeable",
        90);

    private static string? TagsProblem(Dictionary<string, string>? tags) =>
        tags is null ? null
        : tags.Count > MaxTags ? $"A secret may have at most {MaxTags} tags."
        : tags.Any(t => t.Key.Length is 0 or > MaxTagNameLength || t.Value.Length > MaxTagValueLength)
            ? $"Tag names must be 1-{MaxTagNameLength} characters and values at most {MaxTagValueLength}."
            : null;

    /// <summary>The sandbox clock, to the second: Key Vault's times are Unix seconds, so what a client reads back is what is stored.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(state.Clock.GetUtcNow().ToUnixTimeSeconds());

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
