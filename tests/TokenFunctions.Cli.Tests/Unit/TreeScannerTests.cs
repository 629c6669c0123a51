using System.Security.Cryptography;
using System.Text;
using TokenFunctions.Cli.Scanning;

namespace TokenFunctions.Cli.Tests.Unit;

public sealed class TreeScannerTests : IDisposable
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly string _root = Directory.CreateTempSubdirectory("tokenfunctions-scanner-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Lines_are_counted_per_file_and_repeated_tokens_are_each_reported()
    {
        var token = NewToken();
        await File.WriteAllTextAsync(Path.Combine(_root, "a.txt"), $"{token}\n\n\nx={token};\ny", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_root, "b.txt"), $"é ü\n{token}", TestContext.Current.CancellationToken);
        var (files, total, missing) = TreeScanner.Enumerate([_root]);

        var result = await new TreeScanner(1024 * 1024).ScanFilesAsync(files, missing, TestContext.Current.CancellationToken);

        Assert.Equal(new FileInfo(Path.Combine(_root, "a.txt")).Length + new FileInfo(Path.Combine(_root, "b.txt")).Length, total);
        Assert.Equal([("a.txt", 1), ("a.txt", 4), ("b.txt", 2)], result.Findings.Select(f => (Path.GetFileName(f.Path), f.Line)));
        Assert.All(result.Findings, f => Assert.Equal(token[..token.LastIndexOf('.')], f.Secret.Id.Value));
    }

    [Fact]
    public async Task Tokens_glued_to_letters_are_not_tokens_and_a_nul_marks_a_binary()
    {
        var token = NewToken();
        await File.WriteAllTextAsync(Path.Combine(_root, "glued.txt"), "x" + token, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(_root, "bin.dat"), [.. Encoding.ASCII.GetBytes(token), 0], TestContext.Current.CancellationToken);
        var (files, _, missing) = TreeScanner.Enumerate([_root, Path.Combine(_root, "missing")]);

        var result = await new TreeScanner(1024 * 1024).ScanFilesAsync(files, missing, TestContext.Current.CancellationToken);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.SkippedBinary);
        Assert.Equal(1, result.Unreadable);
    }

    private static string NewToken() => "dt0c01." + RandomNumberGenerator.GetString(Alphabet, 24) + "." + RandomNumberGenerator.GetString(Alphabet, 64);
}
