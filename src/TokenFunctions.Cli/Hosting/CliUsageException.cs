namespace TokenFunctions.Cli.Hosting;

/// <summary>The command line is valid syntax but not a valid request (e.g. an argument that is not a token). Exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
