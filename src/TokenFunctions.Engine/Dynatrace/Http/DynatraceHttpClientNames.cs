namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>The named <see cref="HttpClient"/>s <c>AddDynatrace</c> registers, each with the Dynatrace resilience pipeline.</summary>
public static class DynatraceHttpClientNames
{
    public const string Environment = "TokenFunctions.Dynatrace.Environment";

    public const string Account = "TokenFunctions.Dynatrace.Account";

    public const string Sso = "TokenFunctions.Dynatrace.Sso";
}
