using System.CommandLine;

namespace TokenFunctions.Cli.Commands;

/// <summary>Options that several commands declare alike: one definition each, the description's first words per command.</summary>
internal static class CommonOptions
{
    /// <summary>
    /// <c>--incident</c>: the id that ties a run's audit records together. <paramref name="purpose"/> says what it is to
    /// this command; every command that takes it defaults it the same way (<see cref="IncidentId"/>).
    /// </summary>
    public static Option<string?> Incident(string purpose) => new("--incident") { Description = purpose + " (default cli-<time>-<random>)." };

    /// <summary>Adds <paramref name="options"/> to <paramref name="command"/> in this order, the order its help lists them in.</summary>
    public static void AddTo(Command command, params ReadOnlySpan<Option> options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The <c>--incident</c> given, else a new <c>cli-&lt;time&gt;-&lt;random&gt;</c> id.</summary>
    public static string IncidentId(ParseResult parse, Option<string?> incident, TimeProvider time) =>
        parse.GetValue(incident) ?? LeakDefaults.NewIncidentId(time);
}
