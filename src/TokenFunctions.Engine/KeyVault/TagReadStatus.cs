namespace TokenFunctions.Engine.KeyVault;

/// <summary>What a secret's tags say about it.</summary>
public enum TagReadStatus
{
    /// <summary>No <c>tf-</c> tag: not ours, ignored.</summary>
    NotManaged = 0,

    /// <summary>Complete and valid: a managed credential.</summary>
    Managed,

    /// <summary>
    /// The operator's policy tags are valid but <c>tf-token-id</c> and <c>tf-fingerprint</c> are both absent: the
    /// reconciliation job reads the value once and fills them in (adoption).
    /// </summary>
    Unadopted,

    /// <summary>At least one <c>tf-</c> tag is missing or malformed: reported, never rotated, never guessed at.</summary>
    Invalid,
}
