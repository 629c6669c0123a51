namespace TokenFunctions.Engine.Tokens;

/// <summary>Allocation-free enumeration of the tokens in UTF-16 text (<c>foreach</c> over <see cref="TokenScanner.EnumerateMatches(ReadOnlySpan{char})"/>).</summary>
public ref struct TokenMatchEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private int _offset;

    internal TokenMatchEnumerator(ReadOnlySpan<char> text)
    {
        _text = text;
        _offset = 0;
        Current = default;
    }

    public TokenMatch Current { get; private set; }

    public readonly TokenMatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var found = TokenScanner.TryFindNext(_text, "dt0", ref _offset, out var match);
        Current = match;
        return found;
    }
}
