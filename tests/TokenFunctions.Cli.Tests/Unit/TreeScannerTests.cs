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
    public void Lines_are_counted_per_file_and_repeated_tokens_are_each_reported()
    {
        var token = NewToken();
        File.WriteAllText(Path.Combine(_root, "a.txt"), $"{token}\n\n\nx={token};\ny");
        File.WriteAllText(Path.Combine(_root, "b.txt"), $"é ü\n{token}");
        var plan = TreeScanner.Plan([_root]);

        var result = new TreeScanner().ScanFiles(plan, TestContext.Current.CancellationToken);

        Assert.Equal(new FileInfo(Path.Combine(_root, "a.txt")).Length + new FileInfo(Path.Combine(_root, "b.txt")).Length, plan.TotalBytes);
        Assert.Equal([("a.txt", 1L), ("a.txt", 4L), ("b.txt", 2L)], result.Findings.Select(f => (Path.GetFileName(f.Path), f.Line)));
        Assert.All(result.Findings, f => Assert.Equal(token[..token.LastIndexOf('.')], f.Secret.Id.Value));
        Assert.True(result.Complete);
    }

    [Fact]
    public void Tokens_glued_to_letters_are_not_tokens_in_bytes_or_utf16_and_binaries_are_read()
    {
        var token = NewToken();
        File.WriteAllText(Path.Combine(_root, "glued.txt"), "x" + token);
        File.WriteAllText(Path.Combine(_root, "glued16.txt"), "x" + token, Encoding.Unicode);
        File.WriteAllBytes(Path.Combine(_root, "bin.dat"), [.. Encoding.ASCII.GetBytes(token), 0]);

        var result = new TreeScanner().ScanFiles(TreeScanner.Plan([_root]), TestContext.Current.CancellationToken);

        Assert.Equal("bin.dat", Path.GetFileName(Assert.Single(result.Findings).Path));
        Assert.Equal(3, result.FilesScanned);
    }

    [Fact]
    public void A_file_that_vanishes_between_listing_and_reading_is_named()
    {
        var gone = Path.Combine(_root, "gone.txt");
        File.WriteAllText(gone, NewToken());
        var plan = TreeScanner.Plan([_root]);
        File.Delete(gone);

        var result = new TreeScanner().ScanFiles(plan, TestContext.Current.CancellationToken);

        Assert.Equal(new NotRead(gone, "vanished", "vanished before it was read"), Assert.Single(result.NotRead));
        Assert.False(result.Complete);
    }

    [Fact]
    public void Symbolic_links_in_a_tree_are_counted_not_followed()
    {
        var outside = Path.Combine(Directory.CreateTempSubdirectory("tokenfunctions-outside-").FullName, "t.txt");
        File.WriteAllText(outside, NewToken());
        File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), outside);

        var result = new TreeScanner().ScanFiles(TreeScanner.Plan([_root]), TestContext.Current.CancellationToken);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.LinksNotFollowed);
        Assert.True(result.Complete);
        Directory.Delete(Path.GetDirectoryName(outside)!, recursive: true);
    }

    /// <summary>A small buffer and a token at every offset around its boundaries: none is missed, none found twice, lines stay right.</summary>
    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void A_token_cut_by_a_buffer_boundary_is_found_once_at_its_line(string encodingName)
    {
        var encoding = encodingName switch
        {
            "utf-16le" => (Encoding)new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
            _ => new UTF8Encoding(false),
        };
        var token = NewToken();
        var buffer = new byte[1024];
        var perUnit = encoding.GetByteCount("a");
        for (var start = 700 / perUnit; start < 1300 / perUnit; start++)
        {
            var text = new string('\n', 3) + new string('y', start) + " " + token + " tail\n";
            var bytes = encoding.GetBytes(text);
            var findings = new List<ScanFinding>();
            var offset = 0;

            var read = StreamingTokenFinder.Scan(
                span =>
                {
                    // Odd-sized reads, as a pipe gives them.
                    var n = Math.Min(Math.Min(span.Length, 333), bytes.Length - offset);
                    bytes.AsSpan(offset, n).CopyTo(span);
                    offset += n;
                    return n;
                },
                buffer,
                "x",
                findings,
                null,
                TestContext.Current.CancellationToken);

            Assert.Equal(bytes.Length, read);
            var finding = Assert.Single(findings);
            Assert.Equal(4, finding.Line);
            Assert.Equal(token[..token.LastIndexOf('.')], finding.Secret.Id.Value);
        }
    }

    private static string NewToken() => "dt0c01." + RandomNumberGenerator.GetString(Alphabet, 24) + "." + RandomNumberGenerator.GetString(Alphabet, 64);
}
