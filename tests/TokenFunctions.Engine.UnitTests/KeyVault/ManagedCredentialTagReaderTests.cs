using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.KeyVault;

public sealed class ManagedCredentialTagReaderTests
{
    private const string ClassicId = "dt0c01.ST2EY72KQINMH574WMNVI7YN";
    private const string ClassicSecret = ClassicId + ".G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private static readonly string Fingerprint = TokenFingerprint.Of(ClassicSecret);

    private static Dictionary<string, string> Valid() => new()
    {
        ["tf-token-id"] = ClassicId,
        ["tf-fingerprint"] = Fingerprint,
        ["tf-kind"] = "classic",
        ["tf-target"] = "prod",
        ["tf-rotation-period"] = "90d",
        ["tf-overlap"] = "2d",
        ["tf-notify"] = "team-observability@example.com",
    };

    private static TagReadResult Read(Dictionary<string, string> tags, bool? enabled = true) =>
        ManagedCredentialTagReader.Read("ci-token", "https://kv/secrets/ci-token", "v1", tags, DateTimeOffset.UnixEpoch, null, enabled);

    [Fact]
    public void Complete_tags_make_a_managed_credential()
    {
        var tags = Valid();
        tags["tf-lifetime"] = "120d";
        tags["tf-stage"] = "pending";
        tags["tf-rotation-id"] = "0123456789abcdef0123456789abcdef";
        tags["tf-previous-token-id"] = "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA";
        tags["tf-previous-fingerprint"] = new string('a', 64);
        tags["tf-token-owner"] = "svc@example.com";
        tags["cost-center"] = "4711";

        var result = Read(tags);

        Assert.Equal(TagReadStatus.Managed, result.Status);
        var c = result.Credential!;
        Assert.Equal(TokenId.Parse(ClassicId), c.TokenId);
        Assert.Equal(Fingerprint, c.Fingerprint);
        Assert.Equal(TokenKind.ClassicApiToken, c.Kind);
        Assert.Equal("prod", c.Target);
        Assert.Equal(TimeSpan.FromDays(90), c.Policy.RotationPeriod);
        Assert.Equal(TimeSpan.FromDays(2), c.Policy.Overlap);
        Assert.Equal(TimeSpan.FromDays(120), c.Policy.Lifetime);
        Assert.Equal(CredentialStage.Pending, c.Stage);
        Assert.Equal("0123456789abcdef0123456789abcdef", c.RotationId);
        Assert.Equal(TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA"), c.PreviousTokenId);
        Assert.Equal("svc@example.com", c.TokenOwner);
        Assert.Equal("4711", c.OtherTags["cost-center"]);
        Assert.Equal(new ManagedCredentialRef("ci-token", TokenId.Parse(ClassicId), "prod"), c.ToRef());
    }

    [Fact]
    public void No_tf_tags_means_not_managed()
    {
        Assert.Equal(TagReadStatus.NotManaged, Read(new Dictionary<string, string> { ["owner"] = "x" }).Status);
        Assert.Equal(TagReadStatus.NotManaged, ManagedCredentialTagReader.Read("s", "id", null, null, null, null, null).Status);
    }

    [Fact]
    public void Policy_tags_without_identity_await_adoption()
    {
        var tags = Valid();
        tags.Remove("tf-token-id");
        tags.Remove("tf-fingerprint");

        var result = Read(tags);

        Assert.Equal(TagReadStatus.Unadopted, result.Status);
        Assert.Equal("prod", result.Policy!.Target);
    }

    public static TheoryData<string, string?, string> Malformed() => new()
    {
        { "tf-kind", "oauth", "'tf-kind' is 'oauth'" },
        { "tf-kind", null, "required tag 'tf-kind' is missing" },
        { "tf-target", " ", "'tf-target' is empty" },
        { "tf-notify", null, "required tag 'tf-notify' is missing" },
        { "tf-rotation-period", "90", "expected a whole number and a unit" },
        { "tf-rotation-period", "P90D", "expected a whole number and a unit" },
        { "tf-rotation-period", "3 months", "expected a whole number and a unit" },
        { "tf-rotation-period", "090d", "expected a whole number and a unit" },
        { "tf-rotation-period", "30m", "must be between 1h and 3650d" },
        { "tf-overlap", "90d", "must be shorter than" },
        { "tf-overlap", "-1d", "expected a whole number and a unit" },
        { "tf-lifetime", "91d", "must exceed rotation period + overlap" },
        { "tf-token-id", "dt0c01.short", "expected a dt0c01 or dt0s16 token id" },
        { "tf-token-id", "dt0s16.TYUHJKNM", "is a PlatformToken id but 'tf-kind' says classic" },
        { "tf-token-id", ClassicSecret, "holds a full token secret" },
        { "tf-token-id", null, "go together" },
        { "tf-fingerprint", "ABC", "expected 64 lower-case hex characters" },
        { "tf-stage", "done", "expected 'current' or 'pending'" },
        { "tf-rotation-id", "r-1", "expected 32 lower-case hex characters" },
        { "tf-rotation-perod", "90d", "unknown tag 'tf-rotation-perod'" },
        { "TF-Kind", "classic", "must be spelt 'tf-kind'" },
        { "tf-notify", "team\u0001", "contains control characters" },
        { "tf-notify", "see " + ClassicSecret, "looks like a Dynatrace token secret" },
        { "tf-token-owner", new string('x', 513), "at most 512" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_tag_is_a_clear_error_never_a_crash_or_a_guess(string tag, string? value, string expected)
    {
        var tags = Valid();
        if (value is null)
        {
            tags.Remove(tag);
        }
        else
        {
            tags[tag] = value;
        }

        var result = Read(tags);

        Assert.Equal(TagReadStatus.Invalid, result.Status);
        Assert.Null(result.Credential);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_never_echo_a_secret_pasted_into_a_tag()
    {
        var tags = Valid();
        tags["tf-token-id"] = ClassicSecret;
        tags["tf-kind"] = ClassicSecret;

        var errors = string.Join("\n", Read(tags).Errors);

        Assert.DoesNotContain("G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = Read(new Dictionary<string, string> { ["tf-kind"] = "x", ["tf-overlap"] = "y" });

        Assert.Equal(TagReadStatus.Invalid, result.Status);
        Assert.True(result.Errors.Count >= 5, string.Join("; ", result.Errors));
    }

    [Fact]
    public void A_disabled_newest_version_is_an_error()
    {
        var result = Read(Valid(), enabled: false);

        Assert.Contains(result.Errors, e => e.Contains("disabled", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_many_own_tags_for_Key_Vaults_limit_of_fifteen_is_reported_before_a_rotation_fails_on_it()
    {
        var tags = Valid();
        for (var i = 0; i < 4; i++)
        {
            tags[$"team-{i}"] = "x";
        }

        var result = Read(tags);

        Assert.Equal(TagReadStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.Contains("too many tags", StringComparison.Ordinal) && e.Contains("at most 3 other tags", StringComparison.Ordinal));
        tags.Remove("team-3");
        Assert.Equal(TagReadStatus.Managed, Read(tags).Status);
    }

    [Fact]
    public void The_writer_round_trips_through_the_reader_and_keeps_other_tags()
    {
        var tags = Valid();
        tags["tf-lifetime"] = "36h";
        tags["tf-overlap"] = "30m";
        tags["tf-rotation-period"] = "1d";
        tags["cost-center"] = "4711";
        var credential = Read(tags).Credential! with
        {
            Stage = CredentialStage.Pending,
            RotationId = "0123456789abcdef0123456789abcdef",
            PreviousTokenId = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA"),
            PreviousFingerprint = new string('b', 64),
            TokenOwner = "svc@example.com",
        };

        var written = ManagedCredentialTagWriter.ToTags(credential);
        var reread = Read(written).Credential!;

        Assert.Equal(13 + 1, written.Count);
        Assert.Equal("36h", written["tf-lifetime"]);
        Assert.Equal("30m", written["tf-overlap"]);
        Assert.Equal("1d", written["tf-rotation-period"]);
        Assert.Equal("4711", written["cost-center"]);
        Assert.Equal(credential with { OtherTags = reread.OtherTags }, reread with { OtherTags = reread.OtherTags });
    }
}
