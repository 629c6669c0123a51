namespace TokenFunctions.Cli.Hosting;

/// <summary>The configuration cannot run the command; the message says what to set. Exit code 4.</summary>
internal sealed class CliConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
