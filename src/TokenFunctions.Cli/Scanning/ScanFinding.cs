using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Scanning;

/// <summary>A token found at a line of a file (or <c>-</c> for stdin).</summary>
internal sealed record ScanFinding(string Path, long Line, TokenSecret Secret);
