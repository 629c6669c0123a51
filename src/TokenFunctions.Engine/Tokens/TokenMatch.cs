namespace TokenFunctions.Engine.Tokens;

/// <summary>Where a token stands in scanned text: <see cref="Start"/> of the prefix, total <see cref="Length"/>, and where its public part ends.</summary>
public readonly record struct TokenMatch(int Start, int Length, int IdLength);
