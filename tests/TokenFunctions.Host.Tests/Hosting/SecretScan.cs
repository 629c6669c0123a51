namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>Every secret the worker was given, looked for in everything it logged (RpcLog) and printed (stdout, stderr).</summary>
internal static class SecretScan
{
    public static void AssertNothingLeaked(HostedApp app)
    {
        var output = app.Host.Log.AllText;
        Assert.NotEmpty(app.SecretsGiven);
        foreach (var secret in app.SecretsGiven)
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"A secret the worker was given ({Describe(secret)}) is in its output.");

            // A Dynatrace token's secret part alone is as bad as the whole token.
            if (secret.StartsWith("dt0", StringComparison.Ordinal) && secret.LastIndexOf('.') is var dot and > 0 && secret.Length - dot > 16)
            {
                Assert.False(output.Contains(secret[(dot + 1)..], StringComparison.Ordinal), $"The secret part of {secret[..dot]} is in the worker's output.");
            }
        }
    }

    // Never the secret itself in a test failure either.
    private static string Describe(string secret) => secret.Length > 8 ? secret[..Math.Min(6, secret.IndexOf('.') is > 0 and var dot ? dot : 6)] + "…" : "…";
}
