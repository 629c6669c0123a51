using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Cli.Sandbox;

namespace TokenFunctions.Cli.Commands;

/// <summary>
/// <c>sandbox</c>: the seeded loopback Dynatrace until Ctrl+C. Its generated credentials go to a settings file (owner
/// read/write only), never to the screen; other commands (or the function app) point at it with <c>--config</c>.
/// </summary>
internal static class SandboxCommand
{
    private const int ListedIds = 5;

    public static Command Create(CommandRunner runner)
    {
        var options = new SandboxCommandOptions();
        var command = new Command("sandbox", """
            Start the loopback Dynatrace sandbox and a loopback Key Vault to rehearse an incident in, until Ctrl+C. Seeded:
            environments prod and dev (tokens of alice and bob), an account with platform tokens, and the managed credential
            dt-prod-ingest in the vault for `rotate`; --seed N and --seed-file add more. Writes, owner-only: the settings that
            point other commands at it (with its generated credentials), and the secrets of its leakable test tokens for
            drills. Drills keep their audit trail and state in <state-dir>/sandbox, apart from real work.

            Examples:
              tokenfunctions sandbox --seed 200
              tokenfunctions scan ~/.local/state/tokenfunctions/sandbox.drill-secrets.env --kill --config ~/.local/state/tokenfunctions/sandbox.settings.json
              tokenfunctions rotate dt-prod-ingest --config ~/.local/state/tokenfunctions/sandbox.settings.json
              tokenfunctions audit --since 1h --config ~/.local/state/tokenfunctions/sandbox.settings.json
            """);
        options.AddTo(command);
        runner.SetAction(command, (context, parse, cancellationToken) => RunAsync(context, parse, options, cancellationToken));
        return command;
    }

    /// <summary>Starts the sandbox, writes its settings and drill secrets, says where it is, and waits for Ctrl+C.</summary>
    private static async Task<int> RunAsync(CliContext context, ParseResult parse, SandboxCommandOptions options, CancellationToken cancellationToken)
    {
        var address = options.LoopbackAddress(parse);
        var extra = options.ExtraTokens(parse);
        var seeded = parse.GetValue(options.SeedFile) is { } file ? SandboxSeed.Read(file.FullName) : null;
        await using var sandbox = await StartAsync(address, seeded, extra, cancellationToken).ConfigureAwait(false);
        var path = parse.GetValue(options.Settings)?.FullName ?? Path.Combine(context.StateDirectory, "sandbox.settings.json");
        var drillPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path).Replace(".settings", string.Empty, StringComparison.Ordinal) + ".drill-secrets.env");
        await WriteOwnerOnlyAsync(path, JsonSerializer.SerializeToUtf8Bytes(
            sandbox.Configuration.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal),
            CliJsonContext.Default.DictionaryStringString), cancellationToken).ConfigureAwait(false);
        await WriteOwnerOnlyAsync(drillPath, Encoding.UTF8.GetBytes(DrillSecrets(sandbox)), cancellationToken).ConfigureAwait(false);
        var info = Describe(sandbox, path, drillPath);
        if (context.Json)
        {
            CommandRunner.WriteJson(context, info, CliJsonContext.Default.SandboxInfo);
        }
        else
        {
            WriteText(context.Console.Out, info);
        }

        context.Console.Out.Flush();
        await UntilCancelledAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static SandboxInfo Describe(CliSandbox sandbox, string settingsPath, string drillPath) => new(
        sandbox.Server.BaseUrl.ToString(),
        [.. sandbox.Server.Environments.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => new SandboxEnvironmentInfo(e.Id, sandbox.Server.EnvironmentBaseUrl(e.Id).ToString(), [.. e.Tokens.Select(t => t.Id)]))],
        CliSandbox.AccountUuid.ToString(),
        sandbox.Server.AccountApiBaseUrl.ToString(),
        sandbox.Server.SsoTokenEndpoint.ToString(),
        settingsPath)
    {
        KeyVaultUri = sandbox.Vault.VaultUri.ToString(),
        ManagedSecretName = CliSandbox.ManagedSecretName,
        DrillSecretsFile = drillPath,
        LeakableTokens = sandbox.Leakable.Count,
    };

    private static async Task UntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the normal way to stop it.
        }
    }

    private static void WriteText(TextWriter output, SandboxInfo info)
    {
        output.WriteLine($"Dynatrace sandbox listening on {info.BaseUrl}");
        foreach (var environment in info.Environments)
        {
            var ids = string.Join(", ", environment.TokenIds.Take(ListedIds)) + (environment.TokenIds.Count > ListedIds ? ", …" : string.Empty);
            output.WriteLine($"  environment {environment.Name}: {environment.ApiBaseUrl} ({environment.TokenIds.Count} tokens: {ids})");
        }

        output.WriteLine($"  account {info.AccountUuid}: ApiBaseUrl {info.AccountApiBaseUrl}, SsoTokenEndpoint {info.SsoTokenEndpoint}");
        output.WriteLine($"Key Vault sandbox: {info.KeyVaultUri} (managed credential {info.ManagedSecretName})");
        output.WriteLine($"Settings with the generated credentials: {info.SettingsFile}");
        output.WriteLine($"Secrets of {info.LeakableTokens} leakable test tokens, for drills: {info.DrillSecretsFile}");
        output.WriteLine("Drills keep their audit trail and state apart from real work. Try, in a second terminal:");
        output.WriteLine($"  tokenfunctions scan {info.DrillSecretsFile} --kill --config {info.SettingsFile}");
        output.WriteLine($"  tokenfunctions rotate {info.ManagedSecretName} --config {info.SettingsFile}");
        output.WriteLine($"  tokenfunctions audit --since 1h --config {info.SettingsFile}");
        output.WriteLine("Ctrl+C stops.");
    }

    /// <summary>One line per leakable token, as a leaked .env would hold it, with a comment saying what it is.</summary>
    private static string DrillSecrets(CliSandbox sandbox)
    {
        var text = new StringBuilder("# TokenFunctions sandbox: secrets of its own test tokens, for drills only (scan --kill, kill --file).\n");
        var i = 0;
        foreach (var (environment, token, note) in sandbox.Leakable)
        {
            text.Append(CultureInfo.InvariantCulture, $"# {environment}: {note}\nDT_TOKEN_{++i}={token.Secret}\n");
        }

        return text.ToString();
    }

    private static async Task<CliSandbox> StartAsync(string address, SandboxSeed? seed, int extra, CancellationToken cancellationToken)
    {
        try
        {
            return await CliSandbox.StartAsync(address, cancellationToken, seed, extra).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || ex.InnerException is InvalidOperationException)
        {
            throw CliException.Usage($"--url {address}: the port is already in use (another sandbox?); choose another port, or --url http://127.0.0.1:0 for any free one.");
        }
    }

    /// <summary>The file holds generated credentials or secrets: the owner only, from its creation on.</summary>
    private static async Task WriteOwnerOnlyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The options of <c>sandbox</c>.</summary>
internal sealed class SandboxCommandOptions
{
    public Option<string> Url { get; } = new("--url") { Description = "Where to listen (loopback).", DefaultValueFactory = _ => "http://127.0.0.1:5055" };

    public Option<FileInfo?> Settings { get; } = new("--write-config") { Description = "Where to write the settings file (default <state-dir>/sandbox.settings.json)." };

    public Option<int> Seed { get; } = new("--seed") { Description = "This many more classic tokens, spread over prod and dev, alice and bob (e.g. 2000 for a kill-switch drill)." };

    public Option<FileInfo?> SeedFile { get; } = new("--seed-file") { Description = "More tokens from a JSON file: {\"environments\": [{\"name\": \"prod\", \"tokens\": [{\"name\": \"ci\", \"owner\": \"carol@example.com\", \"count\": 100}]}]}." };

    public void AddTo(Command command) => CommonOptions.AddTo(command, Url, Settings, Seed, SeedFile);

    /// <summary>The <c>--url</c> to listen on; a usage error unless it is a loopback address.</summary>
    public string LoopbackAddress(ParseResult parse)
    {
        var address = parse.GetValue(Url)!;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !uri.IsLoopback)
        {
            throw CliException.Usage("--url must be a loopback address, e.g. http://127.0.0.1:5055.");
        }

        return address;
    }

    /// <summary>The <c>--seed</c> count of extra tokens, 0 to 100000.</summary>
    public int ExtraTokens(ParseResult parse)
    {
        var extra = parse.GetValue(Seed);
        if (extra is < 0 or > 100_000)
        {
            throw CliException.Usage("--seed must be between 0 and 100000.");
        }

        return extra;
    }
}
