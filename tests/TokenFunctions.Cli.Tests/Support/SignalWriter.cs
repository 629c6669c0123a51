using System.Text;

namespace TokenFunctions.Cli.Tests.Support;

/// <summary>Captures text and fires a callback the first time a line containing <paramref name="marker"/> is written.</summary>
public sealed class SignalWriter(string marker, Action onMarker) : StringWriter
{
    private readonly StringBuilder _pending = new();
    private bool _fired;

    public override void Write(char value)
    {
        base.Write(value);
        Check(value.ToString());
    }

    public override void Write(string? value)
    {
        base.Write(value);
        Check(value);
    }

    private void Check(string? value)
    {
        if (_fired || value is null)
        {
            return;
        }

        _pending.Append(value);
        if (_pending.ToString().Contains(marker, StringComparison.Ordinal))
        {
            _fired = true;
            onMarker();
        }
    }
}
