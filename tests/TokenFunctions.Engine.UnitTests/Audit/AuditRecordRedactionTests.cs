using TokenFunctions.Engine.Audit;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditRecordRedactionTests
{
    [Fact]
    public void Every_text_field_is_redacted_when_the_record_is_built()
    {
        var record = new AuditRecord
        {
            Timestamp = T0,
            Source = "src " + Secret,
            CorrelationId = "corr " + Secret,
            Action = "act " + Secret,
            Outcome = "out " + Secret,
            TokenId = TokenA,
            Fingerprint = Secret,
            Owner = "owner " + Secret,
            RequestedBy = "req " + Secret,
            Detail = "Dynatrace said: invalid token " + Secret,
            BlastRadius = new BlastRadius("alice " + Secret, ["metrics.read", Secret], T0, "10.0.0.1 " + Secret, "name " + Secret),
        };

        var texts = new[]
        {
            record.Source, record.CorrelationId, record.Action, record.Outcome, record.Fingerprint, record.Owner, record.RequestedBy,
            record.Detail, record.BlastRadius!.TokenOwner, record.BlastRadius.LastUsedIpAddress, record.BlastRadius.Name,
        }.Concat(record.BlastRadius.Scopes);
        Assert.All(texts, t => Assert.DoesNotContain(SecretPart, t!, StringComparison.Ordinal));
        Assert.Equal("Dynatrace said: invalid token dt0c01.ST2EY72KQINMH574WMNVI7YN.***", record.Detail);
        Assert.Equal(["metrics.read", "dt0c01.ST2EY72KQINMH574WMNVI7YN.***"], record.BlastRadius.Scopes);
    }

    [Fact]
    public void A_with_expression_cannot_smuggle_a_secret_in()
    {
        var record = Record(TokenA) with { Detail = Secret, Owner = Secret };
        var blast = new BlastRadius(null, [], null, null) with { TokenOwner = Secret, Scopes = [Secret], Name = Secret };

        Assert.DoesNotContain(SecretPart, record.Detail!, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, record.Owner!, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, blast.TokenOwner!, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, blast.Scopes[0], StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, blast.Name!, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_without_tokens_is_kept_as_is()
    {
        var record = Record(TokenA, detail: "HTTP 503 from https://abc12345.live.dynatrace.com/api/v2/apiTokens");
        Assert.Equal("HTTP 503 from https://abc12345.live.dynatrace.com/api/v2/apiTokens", record.Detail);
        Assert.Equal("incident-1", record.CorrelationId);
    }
}
