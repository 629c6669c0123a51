namespace TokenFunctions.Cli.Output;

public enum OutputFormat
{
    Table = 0,
    Json,
}
