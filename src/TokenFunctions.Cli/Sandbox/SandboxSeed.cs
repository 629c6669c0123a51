using System.Text.Json;
using System.Text.Json.Serialization;
using TokenFunctions.Cli.Errors;

namespace TokenFunctions.Cli.Sandbox;

/// <summary>
/// What <c>sandbox --seed-file</c> adds to the seeded sandbox: classic tokens per environment (an environment that does not
/// exist yet is created, with its own management credential), in groups of <see cref="SandboxSeedTokens.Count"/>.
/// </summary>
public sealed record SandboxSeed(IReadOnlyList<SandboxSeedEnvironment> Environments)
{
    public static SandboxSeed Read(string path)
    {
        try
        {
            var seed = JsonSerializer.Deserialize(File.ReadAllBytes(path), SandboxSeedJsonContext.Default.SandboxSeed);
            if (seed?.Environments is not { Count: > 0 } environments
                || environments.Any(e => string.IsNullOrWhiteSpace(e.Name) || e.Tokens is null || e.Tokens.Any(t => t.Count is < 1 or > 100_000)))
            {
                throw CliException.Usage($"--seed-file {path}: needs \"environments\": [{{\"name\": \"prod\", \"tokens\": [{{\"name\": \"ci\", \"owner\": \"carol@example.com\", \"scopes\": [\"metrics.ingest\"], \"count\": 100}}]}}] (count 1 to 100000).");
            }

            return seed;
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"--seed-file {path} is not valid JSON (line {ex.LineNumber + 1}).");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--seed-file {path} cannot be read: {ex.Message}");
        }
    }
}

public sealed record SandboxSeedEnvironment(string Name, IReadOnlyList<SandboxSeedTokens> Tokens);

/// <summary><see cref="Count"/> classic tokens named <see cref="Name"/>-1, -2, …</summary>
public sealed record SandboxSeedTokens(string Name, string? Owner, IReadOnlyList<string>? Scopes, int Count = 1);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(SandboxSeed))]
internal sealed partial class SandboxSeedJsonContext : JsonSerializerContext;
