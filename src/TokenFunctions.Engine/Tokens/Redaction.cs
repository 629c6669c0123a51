using System.Text;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// The one redaction path: every log line, exception message and audit text goes through <see cref="Redact"/>, which
/// replaces the secret part of any Dynatrace token with <c>***</c> and keeps the loggable id.
/// </summary>
public static class Redaction
{
    public const string Mask = "***";

    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains("dt0", StringComparison.Ordinal))
        {
            return text;
        }

        var matches = TokenScanner.FindAll(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var last = 0;
        foreach (var m in matches)
        {
            sb.Append(text, last, m.Start + m.IdLength - last).Append('.').Append(Mask);
            last = m.Start + m.Length;
        }

        return sb.Append(text, last, text.Length - last).ToString();
    }
}
