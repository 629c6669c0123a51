namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Every configured environment and account, each with its client.</summary>
public interface IDynatraceDirectory
{
    IReadOnlyList<IEnvironmentTokenClient> Environments { get; }

    IReadOnlyList<IAccountTokenClient> Accounts { get; }
}
