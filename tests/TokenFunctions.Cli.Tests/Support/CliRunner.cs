using System.Text;
using TokenFunctions.Cli.Console;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Tests.Support;

/// <summary>
/// Runs the CLI in-process through its entry point with captured stdout and stderr. Every run's output is checked for
/// any full Dynatrace token (the redaction grammar, wider than recognition) and for every secret the sandbox issued.
/// </summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(SandboxFixture sandbox, params string[] args) => RunAsync(sandbox, args, stdin: null);

    public static Task<CliResult> RunAsync(SandboxFixture? sandbox, string[] args, string? stdin) =>
        RunAsync(sandbox, args, stdin, new StringWriter(), TestContext.Current.CancellationToken);

    /// <summary>With the caller's stderr writer and cancellation, e.g. to press Ctrl+C when a line appears.</summary>
    public static Task<CliResult> RunAsync(SandboxFixture? sandbox, string[] args, string? stdin, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(sandbox, args, stdin, new StringWriter(), error, cancellationToken);

    public static Task<CliResult> RunAsync(SandboxFixture? sandbox, string[] args, string? stdin, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(sandbox, args, new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? string.Empty)), Terminals.None, output, error, cancellationToken);

    /// <summary>With any stdin stream and the streams that are terminals (stderr a terminal: progress is drawn).</summary>
    public static async Task<CliResult> RunAsync(SandboxFixture? sandbox, string[] args, Stream stdin, Terminals terminals, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = new CliConsole(output, error, stdin, terminals);
        var code = await CliApp.RunAsync(args, console, cancellationToken);
        var result = new CliResult(code, output.ToString() ?? string.Empty, error.ToString() ?? string.Empty);
        AssertNoSecret(result.Out + result.Error, sandbox?.Secrets ?? []);
        return result;
    }

    public static void AssertNoSecret(string text, IEnumerable<string> secrets)
    {
        Assert.False(Redaction.ContainsSecret(text), "CLI output contains a full token:\n" + Redaction.Redact(text));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);

            // The secret part alone (after the last dot) must not appear either.
            Assert.DoesNotContain(secret[(secret.LastIndexOf('.') + 1)..], text, StringComparison.Ordinal);
        }
    }
}
