using System.CommandLine;
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
    public static Command Create(CommandRunner runner)
    {
        var url = new Option<string>("--url") { Description = "Where to listen (loopback).", DefaultValueFactory = _ => "http://127.0.0.1:5055" };
        var settings = new Option<FileInfo?>("--write-config") { Description = "Where to write the settings file (default <state-dir>/sandbox.settings.json)." };
        var command = new Command("sandbox", """
            Start the loopback Dynatrace sandbox, seeded (environments prod and dev, tokens of alice and bob, an account with
            platform tokens), print its URLs and token ids, and write a settings file with its generated credentials.
            Runs until Ctrl+C.

            Example:
              tokenfunctions sandbox
              tokenfunctions status --config ~/.local/state/tokenfunctions/sandbox.settings.json   (in a second terminal)
            """);
        command.Options.Add(url);
        command.Options.Add(settings);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var address = parse.GetValue(url)!;
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !uri.IsLoopback)
            {
                throw CliException.Usage("--url must be a loopback address, e.g. http://127.0.0.1:5055.");
            }

            await using var sandbox = await StartAsync(address, cancellationToken).ConfigureAwait(false);
            var path = parse.GetValue(settings)?.FullName ?? Path.Combine(context.StateDirectory, "sandbox.settings.json");
            await WriteSettingsAsync(path, sandbox, cancellationToken).ConfigureAwait(false);
            var info = new SandboxInfo(
                sandbox.Server.BaseUrl.ToString(),
                [.. sandbox.Server.Environments.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => new SandboxEnvironmentInfo(e.Id, sandbox.Server.EnvironmentBaseUrl(e.Id).ToString(), [.. e.Tokens.Select(t => t.Id)]))],
                CliSandbox.AccountUuid.ToString(),
                sandbox.Server.AccountApiBaseUrl.ToString(),
                sandbox.Server.SsoTokenEndpoint.ToString(),
                path);
            if (context.Json)
            {
                CommandRunner.WriteJson(context, info, CliJsonContext.Default.SandboxInfo);
            }
            else
            {
                var output = context.Console.Out;
                output.WriteLine($"Dynatrace sandbox listening on {info.BaseUrl}");
                foreach (var environment in info.Environments)
                {
                    output.WriteLine($"  environment {environment.Name}: {environment.ApiBaseUrl} ({environment.TokenIds.Count} tokens: {string.Join(", ", environment.TokenIds)})");
                }

                output.WriteLine($"  account {info.AccountUuid}: ApiBaseUrl {info.AccountApiBaseUrl}, SsoTokenEndpoint {info.SsoTokenEndpoint}");
                output.WriteLine($"Settings with the generated credentials: {path}");
                output.WriteLine($"  e.g. tokenfunctions status --config {path}");
                output.WriteLine("Ctrl+C stops.");
            }

            context.Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the normal way to stop it.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<CliSandbox> StartAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            return await CliSandbox.StartAsync(address, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || ex.InnerException is InvalidOperationException)
        {
            throw CliException.Usage($"--url {address}: the port is already in use (another sandbox?); choose another port, or --url http://127.0.0.1:0 for any free one.");
        }
    }

    private static async Task WriteSettingsAsync(string path, CliSandbox sandbox, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var values = sandbox.Configuration.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // The file holds the sandbox's generated credentials: the owner only.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await JsonSerializer.SerializeAsync(stream, values, CliJsonContext.Default.DictionaryStringString, cancellationToken).ConfigureAwait(false);
    }
}
