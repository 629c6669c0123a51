using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using TokenFunctions.Cli.Errors;

namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// The function app's settings, from the same sources an operator already has: <c>appsettings.json</c> in the working
/// folder (only without <c>--config</c>: an explicit file is the settings, and a stray file in whatever folder the
/// responder stands in must not change or break the run), user secrets, environment variables
/// (<c>Dynatrace__Environments__0__Name</c>), then <c>--config FILE</c>.
/// </summary>
internal static class CliConfiguration
{
    public const string SandboxOrigin = "the sandbox";

    /// <summary>Sections the sandbox replaces wholesale, so a configured production environment is never mixed in.</summary>
    private static readonly string[] SandboxReplaced = ["Dynatrace:Environments", "Dynatrace:Accounts", "KeyVault"];

    /// <summary>Storage a drill must not write to: its audit trail and state go to the sandbox's embedded store instead.</summary>
    private static readonly string[] DrillIgnored =
        ["Audit:ConnectionString", "Audit:TableServiceUri", "Incidents:Storage", "Rotation:State", "Sources:Ledger", "AzureWebJobsStorage"];

    /// <summary>A drill: a run against a sandbox (<c>--sandbox</c>, or settings a <c>sandbox</c> wrote).</summary>
    public static bool IsDrill(IConfiguration configuration) =>
        string.Equals(configuration[Sandbox.CliSandbox.DrillSetting], "true", StringComparison.OrdinalIgnoreCase);

    public static IConfigurationRoot Build(FileInfo? configFile, IReadOnlyDictionary<string, string?>? sandbox)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is null)
        {
            var local = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
            if (File.Exists(local))
            {
                builder.Add(new SettingsFile(local, $"appsettings.json in the working folder ({local})"));
            }
        }

        builder.AddUserSecrets(typeof(CliConfiguration).Assembly, optional: true, reloadOnChange: false).AddEnvironmentVariables();
        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw CliException.Configuration($"--config: no file at {configFile.FullName}.");
            }

            builder.Add(new SettingsFile(configFile.FullName, "--config " + configFile.FullName));
        }

        var configuration = Load(builder);
        if (sandbox is null && !IsDrill(configuration))
        {
            return configuration;
        }

        var dropped = sandbox is null ? DrillIgnored : [.. SandboxReplaced, .. DrillIgnored];
        var kept = configuration.AsEnumerable().Where(kv => kv.Value is not null && !dropped.Any(d => Under(kv.Key, d)));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).AddInMemoryCollection(sandbox ?? new Dictionary<string, string?>()).Build();
    }

    private static bool Under(string key, string section) =>
        key.Equals(section, StringComparison.OrdinalIgnoreCase) || key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where <paramref name="key"/> (or the section above it) is set: the file, the environment variable or the store.</summary>
    public static string? OriginOf(IConfigurationRoot? configuration, string key)
    {
        if (configuration is null)
        {
            return null;
        }

        for (var candidate = key; candidate.Length > 0; candidate = candidate.Contains(':', StringComparison.Ordinal) ? candidate[..candidate.LastIndexOf(':')] : string.Empty)
        {
            foreach (var provider in configuration.Providers.Reverse())
            {
                if (provider.TryGet(candidate, out _) || provider.GetChildKeys([], candidate).Any())
                {
                    return Describe(provider, candidate);
                }
            }
        }

        return null;
    }

    /// <summary>Every place settings were read from, for "not set" messages.</summary>
    public static string Sources(IConfigurationRoot? configuration) => configuration is null
        ? "no settings were read"
        : string.Join(", ", configuration.Providers.Select(p => Describe(p, null)).Distinct(StringComparer.Ordinal));

    private static string Describe(IConfigurationProvider provider, string? key) => provider switch
    {
        SettingsFile file => file.Origin,
        EnvironmentVariablesConfigurationProvider => key is null ? "environment variables" : "environment variable " + key.Replace(":", "__", StringComparison.Ordinal),
        JsonConfigurationProvider json => "user secrets (" + (json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? string.Empty).PhysicalPath ?? json.Source.Path) + ")",
        MemoryConfigurationProvider => SandboxOrigin,
        _ => provider.GetType().Name,
    };

    private static IConfigurationRoot Load(IConfigurationBuilder builder)
    {
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            // User secrets are JSON read by the framework; say which file without quoting it.
            throw CliException.Configuration("the user secrets file (dotnet user-secrets --id tokenfunctions-cli list) is not valid JSON; fix it or clear it.", ex);
        }
    }
}
