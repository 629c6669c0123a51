namespace TokenFunctions.Cli.Scanning;

/// <summary>A path <c>scan</c> was given or found and did not read, and why; every one is named on stderr.</summary>
internal sealed record NotRead(string Path, string Reason, string Detail);
