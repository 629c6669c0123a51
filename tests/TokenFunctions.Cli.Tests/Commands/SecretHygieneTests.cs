using System.Text;
using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

/// <summary>
/// Every command, verbose, with secrets in arguments, stdin, files and mistyped command lines: the concatenated output
/// holds none of the secrets the sandbox issued or was seeded with (management credentials, OAuth secret, leaked tokens).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SecretHygieneTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task No_output_of_any_command_contains_a_secret()
    {
        var state = sandbox.NewStateDirectory();
        var owner = $"frank-{Guid.NewGuid():N}@example.com";
        var leaks = Enumerable.Range(0, 4).Select(_ => sandbox.Leak("prod", owner)).ToList();
        var file = Path.Combine(sandbox.NewFolder(), "leak.env");
        await File.WriteAllTextAsync(file, $"T={leaks[1].Secret}\n", TestContext.Current.CancellationToken);
        var all = new StringBuilder();
        var runs = new List<(string[] Args, string? Stdin)>
        {
            (sandbox.Args(state, "kill", leaks[0].Secret, "--verbose"), null),
            (sandbox.Args(state, "kill", "--stdin", "-v", "-o", "json"), leaks[2].Secret),
            (sandbox.Args(state, "scan", file, "--kill", "-v"), null),
            (sandbox.Args(state, "scan", "-", "-o", "json"), leaks[3].Secret),
            (sandbox.Args(state, "kill-switch", "--owner", owner, "--yes", "-v"), null),
            (sandbox.Args(state, "enable", leaks[0].Id, "-v"), null),
            (sandbox.Args(state, "audit", "--since", "1h", "-v"), null),
            (sandbox.Args(state, "audit", "--since", "1h", "-o", "json"), null),
            (sandbox.Args(state, "status", "-v"), null),
            (sandbox.Args(state, "kill", leaks[0].Secret, "--no-such-option"), null),
            (sandbox.Args(state, "frobnicate", leaks[1].Secret), null),
            (sandbox.Args(state, "enable", leaks[2].Secret, "extra", leaks[3].Secret), null),
            (["status", "--config", sandbox.WriteConfig("hygiene-bad.json", new Dictionary<string, string?> { ["Dynatrace:Environments:0:Credential"] = sandbox.UnknownToken() }), "--state-dir", state, "-v"], null),
        };

        foreach (var (args, stdin) in runs)
        {
            var result = await CliRunner.RunAsync(sandbox, args, stdin);
            all.Append(result.Out).Append(result.Error);
        }

        var text = all.ToString();
        CliRunner.AssertNoSecret(text, sandbox.Secrets);
        Assert.True(sandbox.Secrets.Count >= 10);

        // The runs did their work: the verbose logs and tables carry the ids instead.
        Assert.All(leaks, l => Assert.Contains(l.Id, text, StringComparison.Ordinal));
        Assert.Contains("[debug]", text, StringComparison.Ordinal);
    }
}
