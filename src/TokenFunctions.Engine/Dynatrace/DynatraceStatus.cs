namespace TokenFunctions.Engine.Dynatrace;

/// <summary>The expected answers of a Dynatrace call, as data. Exceptions are reserved for bugs.</summary>
public enum DynatraceStatus
{
    Ok = 0,

    /// <summary>404: the token does not exist in this environment or account.</summary>
    NotFound,

    /// <summary>401: our management credential is wrong, expired or disabled. Not retried.</summary>
    Unauthorized,

    /// <summary>403: our credential lacks a scope. Not retried.</summary>
    Forbidden,

    /// <summary>400 because the request would disable or delete the credential making it.</summary>
    OwnCredential,

    /// <summary>Any other 4xx: the request itself is wrong. Not retried.</summary>
    BadRequest,

    /// <summary>429, 5xx, timeout or connection failure that outlasted the retry budget. Try again later.</summary>
    Transient,

    /// <summary>
    /// A platform token the account answered 404 for under its <c>dt0s16</c> id, at a server whose ids may take another form,
    /// and no search mapped it to the id the server uses: it may exist. Never "not found".
    /// </summary>
    Unaddressable,
}
