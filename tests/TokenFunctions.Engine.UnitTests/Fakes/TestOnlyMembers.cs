using System.Reflection;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>Members only tests and benchmarks use, kept out of the production types.</summary>
public static class TestOnlyMembers
{
    extension(AuditQuery)
    {
        public static AuditQuery ForIncident(string incidentId) => new() { IncidentId = incidentId };
    }

    extension(KillResult result)
    {
        public int Count(TokenOutcomeKind kind) => result.Outcomes.Count(o => o.Outcome == kind);

        public bool AllSucceeded => result.Outcomes.All(o => o.IsSuccess);
    }

    extension(TokenId id)
    {
        /// <summary>The public part after the prefix; the whole value for a server-form id.</summary>
        public string PublicPart => id.IsServerForm ? id.Value : id.Value[(id.Prefix.Length + 1)..];
    }

    extension(RedactingLoggerFactory factory)
    {
        /// <summary>The decorated factory (the only <see cref="ILoggerFactory"/> field the decorator holds).</summary>
        public ILoggerFactory Inner => (ILoggerFactory)typeof(RedactingLoggerFactory)
            .GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Single(f => f.FieldType == typeof(ILoggerFactory))
            .GetValue(factory)!;
    }
}
