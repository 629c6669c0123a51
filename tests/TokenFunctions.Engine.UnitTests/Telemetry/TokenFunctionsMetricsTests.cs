using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.UnitTests.Telemetry;

public sealed class TokenFunctionsMetricsTests : IDisposable
{
    private const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    private readonly ServiceProvider _services;
    private readonly IMeterFactory _meterFactory;
    private readonly TokenFunctionsMetrics _metrics;

    public TokenFunctionsMetricsTests()
    {
        _services = new ServiceCollection().AddTokenFunctionsTelemetry().BuildServiceProvider();
        _meterFactory = _services.GetRequiredService<IMeterFactory>();
        _metrics = _services.GetRequiredService<TokenFunctionsMetrics>();
    }

    public void Dispose() => _services.Dispose();

    /// <summary>The published contract: dashboards, alerts and the workbook query these exact names, units and tags.</summary>
    public static TheoryData<string, string, string[]> Instruments => new()
    {
        { "tokenfunctions.alerts.received", "{alert}", ["source"] },
        { "tokenfunctions.signature.failures", "{request}", ["source", "reason"] },
        { "tokenfunctions.tokens.outcomes", "{token}", ["source", "outcome"] },
        { "tokenfunctions.rotations", "{rotation}", ["step", "outcome"] },
        { "tokenfunctions.deadletters", "{message}", ["reason"] },
        { "tokenfunctions.notifications.failures", "{notification}", ["channel"] },
        { "tokenfunctions.notifications.sent", "{notification}", ["channel"] },
        { "tokenfunctions.audit.failures", "{record}", ["reason"] },
        { "tokenfunctions.alert_to_disabled.duration", "s", ["source"] },
    };

    [Fact]
    public void The_meter_publishes_exactly_the_documented_instruments()
    {
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, _meterFactory) && instrument.Meter.Name == TokenFunctionsMetrics.MeterName)
                {
                    published.Add(instrument);
                }
            },
        };
        listener.Start();

        var expected = Instruments.Select(row => (row.Data.Item1, row.Data.Item2)).OrderBy(x => x.Item1, StringComparer.Ordinal);
        Assert.Equal(expected, published.Select(i => (i.Name, i.Unit!)).OrderBy(x => x.Name, StringComparer.Ordinal));
        Assert.All(published, i => Assert.False(string.IsNullOrWhiteSpace(i.Description)));
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void Each_instrument_records_with_its_name_unit_and_tags(string name, string unit, string[] tags)
    {
        if (name.EndsWith(".duration", StringComparison.Ordinal))
        {
            using var histogram = new MetricCollector<double>(_meterFactory, TokenFunctionsMetrics.MeterName, name);
            Record(name);
            Assert.Equal(unit, histogram.Instrument!.Unit);
            var m = Assert.Single(histogram.GetMeasurementSnapshot());
            Assert.Equal(1.5, m.Value);
            Assert.Equal(tags.Order(), m.Tags.Keys.Order());
            return;
        }

        using var collector = new MetricCollector<long>(_meterFactory, TokenFunctionsMetrics.MeterName, name);
        Record(name);
        Assert.Equal(unit, collector.Instrument!.Unit);
        var measurement = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.Equal(name == "tokenfunctions.audit.failures" ? 3 : 1, measurement.Value);
        Assert.Equal(tags.Order(), measurement.Tags.Keys.Order());
    }

    [Fact]
    public void Tag_values_are_passed_through_when_they_are_low_cardinality_codes()
    {
        using var outcomes = Collector("tokenfunctions.tokens.outcomes");
        using var rotations = Collector("tokenfunctions.rotations");
        using var signatures = Collector("tokenfunctions.signature.failures");

        _metrics.TokenOutcome("github-alert", nameof(TokenOutcomeKind.CannotDisableOwnCredential));
        _metrics.Rotation("write-key-vault", "status-503");
        _metrics.SignatureFailure("gitguardian", "signature_mismatch");

        Assert.True(outcomes.LastMeasurement!.MatchesTags(new KeyValuePair<string, object?>("source", "github-alert"), new KeyValuePair<string, object?>("outcome", "CannotDisableOwnCredential")));
        Assert.True(rotations.LastMeasurement!.MatchesTags(new KeyValuePair<string, object?>("step", "write-key-vault"), new KeyValuePair<string, object?>("outcome", "status-503")));
        Assert.True(signatures.LastMeasurement!.MatchesTags(new KeyValuePair<string, object?>("source", "gitguardian"), new KeyValuePair<string, object?>("reason", "signature_mismatch")));
    }

    [Theory]
    [InlineData(Secret)]
    [InlineData("dt0c01.ST2EY72KQINMH574WMNVI7YN")]
    [InlineData("DT0S16.TYUHJKNM")]
    [InlineData("leaked dt0c01.ST2EY72KQINMH574WMNVI7YN")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("delivery-72d1a2c4e5f6")]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("reason with spaces")]
    [InlineData("an-extremely-long-reason-code-that-is-really-free-text-and-not-a-code")]
    public void A_token_id_secret_guid_url_or_free_text_never_becomes_a_tag_value(string hostile)
    {
        using var outcomes = Collector("tokenfunctions.tokens.outcomes");
        using var deadLetters = Collector("tokenfunctions.deadletters");
        using var audit = Collector("tokenfunctions.audit.failures");
        using var notifications = Collector("tokenfunctions.notifications.failures");

        _metrics.TokenOutcome(hostile, hostile);
        _metrics.DeadLetter(hostile);
        _metrics.AuditFailure(hostile);
        _metrics.NotificationFailure(hostile);

        var values = new[] { outcomes, deadLetters, audit, notifications }
            .SelectMany(c => c.GetMeasurementSnapshot())
            .SelectMany(m => m.Tags.Values)
            .Select(v => Assert.IsType<string>(v))
            .ToList();
        Assert.Equal(5, values.Count);
        Assert.All(values, v => Assert.Equal(MetricTags.Other, v));
    }

    [Fact]
    public void Missing_tag_values_are_recorded_as_unknown_and_channels_outside_the_known_set_as_other()
    {
        using var received = Collector("tokenfunctions.alerts.received");
        using var sent = Collector("tokenfunctions.notifications.sent");

        _metrics.AlertReceived(null!);
        _metrics.NotificationSent("teams");
        _metrics.NotificationSent("pagerduty");

        Assert.Equal(MetricTags.Unknown, received.LastMeasurement!.Tags["source"]);
        Assert.Equal(["teams", MetricTags.Other], sent.GetMeasurementSnapshot().Select(m => m.Tags["channel"]));
    }

    [Fact]
    public void Audit_failures_count_records_and_ignore_empty_batches()
    {
        using var audit = Collector("tokenfunctions.audit.failures");

        _metrics.AuditFailure("timeout", 0);
        _metrics.AuditFailure("timeout", 7);

        Assert.Equal(7, audit.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void Registration_is_idempotent_and_shares_one_metrics_instance()
    {
        var services = new ServiceCollection().AddTokenFunctionsTelemetry().AddTokenFunctionsTelemetry();
        Assert.Single(services, d => d.ServiceType == typeof(TokenFunctionsMetrics));
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<TokenFunctionsMetrics>(), provider.GetRequiredService<TokenFunctionsMetrics>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    private MetricCollector<long> Collector(string name) => new(_meterFactory, TokenFunctionsMetrics.MeterName, name);

    private void Record(string name)
    {
        switch (name)
        {
            case "tokenfunctions.alerts.received": _metrics.AlertReceived("github-alert"); break;
            case "tokenfunctions.signature.failures": _metrics.SignatureFailure("github-partner", "bad-signature"); break;
            case "tokenfunctions.tokens.outcomes": _metrics.TokenOutcome("queue", "Disabled"); break;
            case "tokenfunctions.rotations": _metrics.Rotation("create", "succeeded"); break;
            case "tokenfunctions.deadletters": _metrics.DeadLetter("unknown-version"); break;
            case "tokenfunctions.notifications.failures": _metrics.NotificationFailure("slack"); break;
            case "tokenfunctions.notifications.sent": _metrics.NotificationSent("generic"); break;
            case "tokenfunctions.audit.failures": _metrics.AuditFailure("unavailable", 3); break;
            case "tokenfunctions.alert_to_disabled.duration": _metrics.AlertToDisabled(TimeSpan.FromSeconds(1.5), "github-alert"); break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "No recorder for this instrument.");
        }
    }
}
