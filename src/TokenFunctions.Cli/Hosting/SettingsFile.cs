using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TokenFunctions.Cli.Errors;

namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// One settings file as a configuration source that remembers its path, so a configuration error can name the file a key
/// came from. Reads appsettings-style JSON, or a local.settings.json (its <c>Values</c>, <c>__</c> as the separator).
/// Read here rather than by <c>AddJsonFile</c> so an invalid file is a configuration error naming the file and the line,
/// never a parser exception quoting its content.
/// </summary>
internal sealed class SettingsFile(string path, string origin) : ConfigurationProvider, IConfigurationSource
{
    public string Path => path;

    /// <summary>How a message names it: "--config /x/settings.json" or "appsettings.json in the working folder (/x/appsettings.json)".</summary>
    public string Origin => origin;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.TryGetProperty("Values", out var flat) && flat.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in flat.EnumerateObject())
                {
                    values[property.Name.Replace("__", ":", StringComparison.Ordinal)] = Scalar(property.Value);
                }
            }
            else
            {
                Flatten(document.RootElement, null, values);
            }

            Data = values;
        }
        catch (JsonException ex)
        {
            // The position only: the parser's message may quote the file's content.
            throw CliException.Configuration($"{origin} is not valid JSON (line {ex.LineNumber + 1}); fix it or remove it.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Configuration($"{origin} cannot be read: {ex.Message}");
        }
    }

    private static void Flatten(JsonElement element, string? prefix, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix is null ? property.Name : prefix + ":" + property.Name, values);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, prefix + ":" + i++, values);
                }

                break;
            default:
                if (prefix is not null)
                {
                    values[prefix] = Scalar(element);
                }

                break;
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
