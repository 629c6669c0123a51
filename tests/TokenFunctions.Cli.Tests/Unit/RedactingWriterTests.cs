using System.Security.Cryptography;
using TokenFunctions.Cli.Console;

namespace TokenFunctions.Cli.Tests.Unit;

public sealed class RedactingWriterTests
{
    [Fact]
    public void A_secret_written_in_pieces_is_masked_as_a_whole()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var id = "dt0c01." + RandomNumberGenerator.GetString(alphabet, 24);
        var secret = RandomNumberGenerator.GetString(alphabet, 64);
        var inner = new StringWriter();
        var console = new CliConsole(inner, new StringWriter(), Stream.Null);

        console.Out.Write("token: " + id[..5]);
        console.Out.Write(id[5..] + ".");
        foreach (var c in secret)
        {
            console.Out.Write(c);
        }

        console.Out.WriteLine(" end");
        console.Out.Write("tail " + id + "." + secret);
        console.Out.Flush();

        var text = inner.ToString();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Equal($"token: {id}.*** end{Environment.NewLine}tail {id}.***", text);
    }
}
