namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Resolves a <see cref="CredentialReference"/> to its secret text.</summary>
public interface ICredentialProvider
{
    ValueTask<string> GetAsync(CredentialReference reference, CancellationToken cancellationToken);
}
