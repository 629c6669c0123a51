namespace TokenFunctions.Cli.Output;

/// <summary>With <c>-o json</c>, what stdout holds when a command failed as a whole: <c>{"error":{"code":…,"message":…,"exitCode":…}}</c>.</summary>
public sealed record ErrorReport(ErrorDetail Error);

/// <summary><see cref="Code"/> is dtctl's name where the meaning is the same (<c>not_found</c>, <c>permission_denied</c>, <c>auth_required</c>).</summary>
public sealed record ErrorDetail(string Code, string Message, int ExitCode);
