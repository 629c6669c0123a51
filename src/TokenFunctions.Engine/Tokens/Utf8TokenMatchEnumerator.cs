namespace TokenFunctions.Engine.Tokens;

/// <summary>Allocation-free enumeration of the tokens in UTF-8 bytes; offsets are byte offsets.</summary>
public ref struct Utf8TokenMatchEnumerator
{
    private readonly ReadOnlySpan<byte> _utf8;
    private int _offset;

    internal Utf8TokenMatchEnumerator(ReadOnlySpan<byte> utf8)
    {
        _utf8 = utf8;
        _offset = 0;
        Current = default;
    }

    public TokenMatch Current { get; private set; }

    public readonly Utf8TokenMatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var found = TokenScanner.TryFindNext(_utf8, "dt0"u8, ref _offset, out var match);
        Current = match;
        return found;
    }
}
