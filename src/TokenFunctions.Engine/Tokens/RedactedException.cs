namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Stands in for an exception whose text carried a token secret: same message, stack trace and inner exceptions with the
/// secrets masked, and the original type's name in <see cref="OriginalType"/>. <c>Data</c> is not copied (it may hold secrets).
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;
    private readonly string _text;

    public RedactedException(Exception original)
        : base(
            Redaction.Redact(MessageOf(original)),
            original.InnerException is null ? null : Redaction.RedactException(original.InnerException))
    {
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        _stackTrace = Redaction.Redact(original.StackTrace);
        _text = Redaction.Redact(original.ToString()) ?? string.Empty;
        HResult = original.HResult;
        Source = original.Source;
    }

    /// <summary>Full name of the exception type this replaces.</summary>
    public string OriginalType { get; }

    public override string? StackTrace => _stackTrace;

    public override string ToString() => _text;

    private static string MessageOf(Exception original)
    {
        ArgumentNullException.ThrowIfNull(original);
        return original.Message;
    }
}
