namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Base URL handling: API paths are appended relative to the base, so the base must end in <c>/</c>.</summary>
public static class DynatraceUrls
{
    /// <summary><c>https://h/e/abc</c> becomes <c>https://h/e/abc/</c>; without it <c>api/…</c> would replace <c>abc</c>.</summary>
    public static Uri WithTrailingSlash(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath + "/" }.Uri;
    }

    public static Uri Combine(Uri baseUrl, string relativePath) => new(WithTrailingSlash(baseUrl), relativePath);

    /// <summary>Plain HTTP is only acceptable to a loopback host (the local sandbox).</summary>
    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
