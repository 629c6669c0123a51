namespace TokenFunctions.Engine.KeyVault;

/// <summary>Where a Key Vault version stands in its rotation (tag <c>tf-stage</c>).</summary>
public enum CredentialStage
{
    /// <summary>Verified (or enrolled by an operator): the version consumers should be using.</summary>
    Current = 0,

    /// <summary>Written straight after Dynatrace created the token, not yet verified. Still the newest version.</summary>
    Pending,
}
