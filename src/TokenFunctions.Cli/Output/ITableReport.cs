namespace TokenFunctions.Cli.Output;

/// <summary>A command's result: a table for people (the json form is its source-generated serialisation).</summary>
public interface ITableReport
{
    void WriteTable(TextWriter writer);
}
