using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>One token finished for one incident and action: it will not be acted on again for that incident.</summary>
public sealed record LedgerEntry(TokenId TokenId, string Outcome, string MessageId, DateTimeOffset RecordedAt);
