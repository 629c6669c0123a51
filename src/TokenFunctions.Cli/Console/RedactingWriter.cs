using System.Text;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Console;

/// <summary>
/// Buffers text up to each line end (or carriage return, for progress bars) and writes it through
/// <see cref="Redaction.Redact"/>: a secret split across several <c>Write</c> calls is still masked as a whole.
/// </summary>
internal sealed class RedactingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value is '\n' or '\r')
            {
                FlushLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] is '\n' or '\r')
                {
                    _line.Append(value, start, i - start + 1);
                    FlushLine();
                    start = i + 1;
                }
            }

            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override void Flush()
    {
        lock (_gate)
        {
            FlushLine();
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        inner.Write(Redaction.Redact(_line.ToString()));
        _line.Clear();
    }
}
