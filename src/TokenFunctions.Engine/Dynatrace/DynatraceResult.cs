namespace TokenFunctions.Engine.Dynatrace;

/// <summary>The typed answer of one Dynatrace operation.</summary>
public readonly record struct DynatraceResult<T>(DynatraceStatus Status, T? Value, DynatraceError? Error)
{
    public bool IsOk => Status == DynatraceStatus.Ok;

    public static DynatraceResult<T> Ok(T value) => new(DynatraceStatus.Ok, value, null);

    public static DynatraceResult<T> Fail(DynatraceStatus status, DynatraceError error) => new(status, default, error);

    public DynatraceResult<TOther> As<TOther>() => new(Status, default, Error);
}

/// <summary>The value of operations that return nothing on success.</summary>
public readonly record struct Done
{
    public static Done Value => default;
}
