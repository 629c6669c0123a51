namespace TokenFunctions.Cli.Storage;

/// <summary>One ledger line on disk (token ids only).</summary>
internal sealed record StoredLedgerEntry(string TokenId, string Outcome, string MessageId, DateTimeOffset RecordedAt);
