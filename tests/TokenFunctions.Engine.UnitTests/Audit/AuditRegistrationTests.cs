using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;
using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditRegistrationTests
{
    [Fact]
    public void Callers_write_through_the_one_audit_writer_over_the_table_store_which_answers_queries()
    {
        using var provider = Build(new() { ["Audit:ConnectionString"] = "UseDevelopmentStorage=true", ["Audit:TableName"] = "trail" });

        Assert.NotNull(provider.GetRequiredService<AuditWriter>());
        Assert.IsType<AuditTableStore>(provider.GetRequiredService<IAuditSink>());
        var store = Assert.IsType<AuditTableStore>(provider.GetRequiredService<IAuditQuery>());
        Assert.Equal("trail", store.TableName);
        Assert.NotNull(provider.GetRequiredService<AuditQueryEndpoint>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is AuditRetryService);
    }

    [Fact]
    public void In_azure_the_table_endpoint_is_reached_with_the_registered_identity()
    {
        var credential = new Mock<TokenCredential>(MockBehavior.Strict);
        using var provider = Build(
            new() { ["Audit:TableServiceUri"] = "https://stfunc.table.core.windows.net" },
            services => services.AddSingleton(credential.Object));

        var client = provider.GetRequiredService<TableServiceClient>();

        Assert.Equal(new Uri("https://stfunc.table.core.windows.net"), client.Uri);
        Assert.Equal("stfunc", client.AccountName);
    }

    [Theory]
    [InlineData(null, null, "TableServiceUri")]
    [InlineData("UseDevelopmentStorage=true", "1bad", "TableName")]
    public void Incomplete_settings_fail_validation_with_the_reason(string? connectionString, string? tableName, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Audit:ConnectionString"] = connectionString };
        if (tableName is not null)
        {
            settings["Audit:TableName"] = tableName;
        }

        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditOptions>>().Value);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? extra = null)
    {
        var services = new ServiceCollection();
        extra?.Invoke(services);
        services.AddAudit(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
