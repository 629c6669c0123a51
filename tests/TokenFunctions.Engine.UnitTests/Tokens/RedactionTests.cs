using System.Text;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Tokens;

public sealed class RedactionTests
{
    private const string Id = "dt0c01.ST2EY72KQINMH574WMNVI7YN";
    private static readonly string Token = TestTokens.Documented;

    [Fact]
    public void Keeps_the_id_and_masks_the_secret()
    {
        Assert.Equal($"leaked {Id}.*** here", Redaction.Redact($"leaked {Token} here"));
        Assert.Equal($"{{\"token\":\"{Id}.***\"}}", Redaction.Redact($"{{\"token\":\"{Token}\"}}"));
    }

    [Fact]
    public void Masks_every_token_in_the_text()
    {
        var a = TestTokens.RandomClassic(1);
        var b = TestTokens.RandomPlatform(2);
        var redacted = Redaction.Redact($"{a}\n{b} and again {a}")!;
        Assert.Equal($"{a[..31]}.***\n{b[..15]}.*** and again {a[..31]}.***", redacted);
    }

    [Fact]
    public void Text_without_a_secret_is_returned_as_the_same_instance()
    {
        var text = $"token id {Id} is fine, dt0 too";
        Assert.Same(text, Redaction.Redact(text));
        Assert.Null(Redaction.Redact(null));
        Assert.Same(string.Empty, Redaction.Redact(string.Empty));
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = Redaction.Redact($"a {Token} b");
        Assert.Equal(once, Redaction.Redact(once));
        Assert.False(Redaction.ContainsSecret(once));
    }

    [Fact]
    public void Masks_tokens_glued_to_other_text_even_though_they_are_not_recognised()
    {
        var a = TestTokens.RandomClassic(3);
        var b = TestTokens.RandomClassic(4);
        var redacted = Redaction.Redact($"x{a}{b}y")!;
        Assert.Equal($"x{a[..31]}.***{b[..31]}.***", redacted);
    }

    [Fact]
    public void Masks_case_changed_tokens_because_the_change_is_reversible()
    {
        Assert.Equal($"{Id.ToLowerInvariant()}.***", Redaction.Redact(Token.ToLowerInvariant()));
        Assert.Equal($"{Id.ToUpperInvariant()}.***", Redaction.Redact(Token.ToUpperInvariant()));
    }

    [Fact]
    public void Masks_truncated_secrets_and_unusual_public_lengths()
    {
        Assert.Equal($"{Id}.*** (truncated)", Redaction.Redact($"{Token[..50]} (truncated)"));
        var longPublic = TestTokens.Text("dt0c01", 5, publicLength: 40);
        Assert.Equal(longPublic[..47] + ".***", Redaction.Redact(longPublic));
    }

    [Fact]
    public void Leaves_bare_ids_and_sentences_alone()
    {
        Assert.Equal($"disabled {Id}. Next", Redaction.Redact($"disabled {Id}. Next"));
        Assert.Equal($"{Id}.***", Redaction.Redact($"{Id}.***"));
    }

    [Fact]
    public void A_token_hidden_in_a_failed_candidate_is_masked()
    {
        var token = TestTokens.RandomClassic(6);
        var secret = TestTokens.SecretPart(token);
        Assert.DoesNotContain(secret, Redaction.Redact("dt0c01.AAAAAAAA." + token), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Redaction.Redact("dt0c01." + token), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Redaction.Redact("dt0c01.dt0c01." + token), StringComparison.Ordinal);
    }

    [Fact]
    public void No_secret_survives_redaction_of_random_text()
    {
        var random = new Random(99);
        string[] noise = ["dt0", "dt0c01.", ".", " ", "x", "Q", "=", "\"", "\n", "dt0s16.", "AB12"];
        for (var round = 0; round < 300; round++)
        {
            var secrets = new List<string>();
            var sb = new StringBuilder();
            for (var i = 0; i < 25; i++)
            {
                if (random.Next(4) == 0)
                {
                    var token = TestTokens.Text(random.Next(2) == 0 ? "dt0c01" : "dt0s16", random.Next(), random.Next(8, 25));
                    token = random.Next(5) switch
                    {
                        0 => token.ToLowerInvariant(),
                        1 => token.ToUpperInvariant(),
                        _ => token,
                    };
                    secrets.Add(TestTokens.SecretPart(token));
                    sb.Append(token);
                }
                else
                {
                    sb.Append(noise[random.Next(noise.Length)]);
                }
            }

            var redacted = Redaction.Redact(sb.ToString())!;
            Assert.All(secrets, s => Assert.DoesNotContain(s, redacted, StringComparison.OrdinalIgnoreCase));
            Assert.False(Redaction.ContainsSecret(redacted));
        }
    }

    [Fact]
    public void Redacts_exception_message_stack_and_inner_exceptions()
    {
        var secret = TestTokens.SecretPart(Token);
        Exception thrown;
        try
        {
            try
            {
                throw new InvalidOperationException($"inner saw {Token}");
            }
            catch (Exception inner)
            {
                throw new HttpRequestException($"outer saw {Token}", inner);
            }
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        var safe = Redaction.RedactException(thrown);
        var redacted = Assert.IsType<RedactedException>(safe);
        Assert.Equal(typeof(HttpRequestException).FullName, redacted.OriginalType);
        Assert.Equal($"outer saw {Id}.***", safe.Message);
        Assert.Contains("HttpRequestException", safe.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(Redacts_exception_message_stack_and_inner_exceptions), safe.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, safe.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, safe.Message, StringComparison.Ordinal);
        Assert.Equal($"inner saw {Id}.***", safe.InnerException!.Message);
        Assert.Equal(thrown.HResult, safe.HResult);
    }

    [Fact]
    public void A_clean_exception_is_kept_as_is()
    {
        var ex = new TimeoutException($"no secret, only {Id}");
        Assert.Same(ex, Redaction.RedactException(ex));
    }
}
