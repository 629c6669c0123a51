using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// The function app's settings, from the same sources an operator already has: <c>appsettings.json</c> in the working
/// folder, user secrets, environment variables (<c>Dynatrace__Environments__0__Name</c>), then <c>--config FILE</c>.
/// </summary>
internal static class CliConfiguration
{
    /// <summary>Sections the sandbox replaces wholesale, so a configured production environment is never mixed in.</summary>
    private static readonly string[] SandboxReplaced = ["Dynatrace:Environments", "Dynatrace:Accounts", "KeyVault"];

    public static IConfigurationRoot Build(FileInfo? configFile, IReadOnlyDictionary<string, string?>? sandbox)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddUserSecrets(typeof(CliConfiguration).Assembly, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables();
        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw new CliConfigurationException($"--config: no file at {configFile.FullName}.");
            }

            builder.AddInMemoryCollection(ReadFile(configFile));
        }

        var configuration = builder.Build();
        if (sandbox is null)
        {
            return configuration;
        }

        var kept = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && !SandboxReplaced.Any(s => kv.Key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase) || kv.Key.Equals(s, StringComparison.OrdinalIgnoreCase)));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).AddInMemoryCollection(sandbox).Build();
    }

    /// <summary>A local.settings.json has its settings under <c>Values</c> with <c>__</c> separators; anything else is appsettings JSON.</summary>
    private static Dictionary<string, string?> ReadFile(FileInfo file)
    {
        try
        {
            using var stream = file.OpenRead();
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.TryGetProperty("Values", out var flat) && flat.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in flat.EnumerateObject())
                {
                    values[property.Name.Replace("__", ":", StringComparison.Ordinal)] = Scalar(property.Value);
                }

                return values;
            }

            Flatten(document.RootElement, null, values);
            return values;
        }
        catch (JsonException ex)
        {
            // The position only: the parser's message may quote the file's content.
            throw new CliConfigurationException($"--config: {file.FullName} is not valid JSON (line {ex.LineNumber + 1}).");
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
