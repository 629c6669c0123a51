namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// A timestamped HMAC delivery as its scheme signs it: the timestamp header text, the signature header, and the keys and
/// prefix the timestamp was folded into (prefix for the generic webhook, key for GitGuardian).
/// </summary>
public sealed record SignedTimestamp(string Source, string TimestampText, string Signature, IReadOnlyList<byte[]> Keys, byte[] Prefix);
