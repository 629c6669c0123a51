namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// One finished exchange: a status and body, or why no answer came (<see cref="TransportFailure"/>); <see cref="Retries"/>
/// counts the pipeline's retries before this answer.
/// </summary>
internal readonly record struct DynatraceResponse(int Status, byte[] Body, TimeSpan? RetryAfter, string? TransportFailure, int Retries = 0)
{
    private readonly DynatraceStatus? _decided;
    private readonly DynatraceError? _decidedError;

    private DynatraceResponse(DynatraceStatus status, DynatraceError error)
        : this(0, [], null, error.Message)
    {
        _decided = status;
        _decidedError = error;
    }

    public bool IsSuccess => TransportFailure is null && Status is >= 200 and < 300;

    public static DynatraceResponse Transport(string failure) => new(0, [], null, failure);

    /// <summary>A failure decided before any HTTP exchange (e.g. the credential could not be read).</summary>
    public static DynatraceResponse Decided(DynatraceStatus status, DynatraceError error) => new(status, error);

    /// <summary>The typed failure of an unsuccessful exchange. 400s about our own credential are told apart by the callers.</summary>
    public DynatraceResult<T> Fail<T>()
    {
        if (_decided is { } decided)
        {
            return DynatraceResult<T>.Fail(decided, _decidedError!);
        }

        if (TransportFailure is { } failure)
        {
            return DynatraceResult<T>.Fail(DynatraceStatus.Transient, new DynatraceError(0, failure));
        }

        var error = ErrorEnvelopeParser.Parse(Status, Body) with { RetryAfter = RetryAfter };
        if (Retries > 0)
        {
            error = error with { Message = $"{error.Message} (after {Retries + 1} attempts)" };
        }

        var status = Status switch
        {
            401 => DynatraceStatus.Unauthorized,
            403 => DynatraceStatus.Forbidden,
            404 => DynatraceStatus.NotFound,
            429 or >= 500 => DynatraceStatus.Transient,
            _ => DynatraceStatus.BadRequest,
        };
        if (Status is >= 300 and < 400)
        {
            error = error with { Message = "Unexpected redirect; check the configured base URL (redirects are not followed so credentials stay put)." };
        }

        return DynatraceResult<T>.Fail(status, error);
    }
}
