using System.Text;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Scanning;

/// <summary>
/// Finds tokens in a byte stream of any length through one fixed buffer, so memory stays bounded whatever the size of
/// a file or of stdin. Tokens are ASCII, so any file is searched as bytes with the engine's recogniser: text in UTF-8 or
/// any ASCII-compatible encoding, and binaries (a token in a core dump or a jar is still a token). UTF-16, which Windows
/// PowerShell's <c>&gt;</c> writes, with or without a byte-order mark, little- or big-endian, is searched too: every
/// <c>d\0t\00</c> in the bytes (the start of <c>dt0</c> in either byte order) is narrowed to ASCII and checked.
/// </summary>
internal static class StreamingTokenFinder
{
    /// <summary>Per buffer: large enough that reads and searches run at memory speed, small enough for a core's cache.</summary>
    public const int DefaultBufferBytes = 1 << 20;

    /// <summary>The longest token, in characters.</summary>
    private const int MaxTokenChars = TokenPrefixes.PrefixLength + 1 + TokenPrefixes.MaxPublicLength + 1 + TokenPrefixes.SecretLength;

    /// <summary>
    /// Bytes at the end of one buffer that are searched again at the start of the next: a whole UTF-16 token and the
    /// character after it (which must not be a letter or digit) fit, so a token cut by a buffer boundary is found whole.
    /// </summary>
    private const int Overlap = 2 * (MaxTokenChars + 2) + 8;

    /// <summary>Bytes kept before the first new position: the character before a token (two bytes in UTF-16, plus one for big-endian).</summary>
    private const int Context = 4;

    /// <summary>Reads into the span; 0 at the end.</summary>
    public delegate int Reader(Span<byte> destination);

    /// <summary>Reads <paramref name="read"/> to its end and adds every token found to <paramref name="findings"/>; returns the bytes read.</summary>
    /// <remarks>
    /// The benchmarked loop (ScanGigabyteBenchmarks): one pass per buffer, so the steps below are called once per MiB
    /// and cost nothing next to the searches; the per-match loops inside them keep their shape.
    /// </remarks>
    public static long Scan(Reader read, byte[] buffer, string path, ICollection<ScanFinding> findings, Action<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, 4 * Overlap);
        var candidates = new List<(int Position, string Text)>();
        var carry = 0;
        var first = true;
        long total = 0;
        long lines = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Fill(read, buffer, carry, progress, ref total, out var final);
            var span = buffer.AsSpan(0, length);

            // Positions from `skip` (before it: the previous buffer's) up to `limit` (after it: the next buffer's).
            var skip = first ? 0 : Context;
            var limit = final ? length : length - Overlap;
            FindCandidates(span, skip, limit, candidates);
            var counted = AddFindings(span, skip, candidates, path, findings, ref lines);
            if (final)
            {
                return total;
            }

            carry = CarryOver(buffer, length, counted, limit, ref lines);
            first = false;
        }
    }

    /// <summary>
    /// Reads after the <paramref name="carry"/> bytes kept from the previous buffer until the buffer is full or the
    /// reader is at its end (<paramref name="final"/>); returns the bytes now in the buffer.
    /// </summary>
    private static int Fill(Reader read, byte[] buffer, int carry, Action<int>? progress, ref long total, out bool final)
    {
        var length = carry;
        final = false;
        while (length < buffer.Length)
        {
            var n = read(buffer.AsSpan(length));
            if (n <= 0)
            {
                final = true;
                break;
            }

            length += n;
            total += n;
            progress?.Invoke(n);
        }

        return length;
    }

    /// <summary>Every token-shaped run that starts from <paramref name="skip"/> up to <paramref name="limit"/>, in order of position.</summary>
    private static void FindCandidates(ReadOnlySpan<byte> span, int skip, int limit, List<(int Position, string Text)> candidates)
    {
        candidates.Clear();
        foreach (var match in TokenScanner.EnumerateMatches(span))
        {
            if (match.Start >= limit)
            {
                break;
            }

            if (match.Start >= skip)
            {
                candidates.Add((match.Start, Encoding.Latin1.GetString(span.Slice(match.Start, match.Length))));
            }
        }

        // UTF-16 text has a zero byte in every ASCII character; text in any other encoding has none, and one fast
        // search for a zero spares it the slower search for the UTF-16 marker.
        if (span.Contains((byte)0))
        {
            FindUtf16(span, skip, limit, candidates);
        }

        candidates.Sort(static (a, b) => a.Position.CompareTo(b.Position));
    }

    /// <summary>
    /// Adds the candidates that are tokens, each with its line (<paramref name="lines"/> counts the newlines before
    /// <paramref name="skip"/>, and is moved on); returns the position the lines are counted up to.
    /// </summary>
    private static int AddFindings(ReadOnlySpan<byte> span, int skip, List<(int Position, string Text)> candidates, string path, ICollection<ScanFinding> findings, ref long lines)
    {
        var counted = skip;
        foreach (var (position, text) in candidates)
        {
            lines += span[counted..position].Count((byte)'\n');
            counted = position;
            if (TokenSecret.TryParse(text, out var secret))
            {
                findings.Add(new ScanFinding(path, lines + 1, secret));
            }
        }

        return counted;
    }

    /// <summary>
    /// The carry-over to the next buffer: the newlines up to <paramref name="limit"/> are counted, and the bytes from
    /// <see cref="Context"/> before it to the end move to the start of the buffer; returns how many moved.
    /// </summary>
    private static int CarryOver(byte[] buffer, int length, int counted, int limit, ref long lines)
    {
        var span = buffer.AsSpan(0, length);
        lines += span[counted..limit].Count((byte)'\n');
        var keep = limit - Context;
        span[keep..].CopyTo(buffer);
        return length - keep;
    }

    private static void FindUtf16(ReadOnlySpan<byte> span, int skip, int limit, List<(int Position, string Text)> candidates)
    {
        var from = skip;
        while (from < limit)
        {
            // Searched past the limit: a marker that starts before it may end after it.
            var hit = span[from..].IndexOf("d\0t\00"u8);
            var at = from + hit;
            if (hit < 0 || at >= limit)
            {
                return;
            }

            if (TryUtf16(span, at, out var text))
            {
                candidates.Add((at, text));
            }

            from = at + 1;
        }
    }

    /// <summary>
    /// The token whose first UTF-16 code unit starts at <paramref name="start"/>, narrowed to ASCII, if there is one. Read
    /// as little-endian from the <c>d</c>: big-endian ASCII text reads the same one byte along (every character's zero byte
    /// is then the one after it), so both byte orders are found by one reading. The one place they differ is the
    /// character before a big-endian token: a non-ASCII one whose low byte is an ASCII letter reads as glued (a miss,
    /// never a false find).
    /// </summary>
    private static bool TryUtf16(ReadOnlySpan<byte> span, int start, out string text)
    {
        text = string.Empty;
        // The character before (glued to a letter or digit, it is not a token), the token, and the character after.
        Span<byte> narrow = stackalloc byte[MaxTokenChars + 2];
        var count = 0;
        var hasBefore = start >= 2;
        if (hasBefore)
        {
            narrow[count++] = Narrow(span, start - 2);
        }

        for (var i = start; i + 1 < span.Length && count < narrow.Length; i += 2)
        {
            narrow[count++] = Narrow(span, i);
        }

        foreach (var match in TokenScanner.EnumerateMatches(narrow[..count]))
        {
            if (match.Start == (hasBefore ? 1 : 0))
            {
                text = Encoding.Latin1.GetString(narrow.Slice(match.Start, match.Length));
                return true;
            }

            break;
        }

        return false;
    }

    /// <summary>An ASCII code unit as its byte; anything else as 0xFF, which is neither a token character nor a letter.</summary>
    private static byte Narrow(ReadOnlySpan<byte> span, int index) =>
        span[index + 1] == 0 && span[index] < 0x80 ? span[index] : (byte)0xFF;
}
