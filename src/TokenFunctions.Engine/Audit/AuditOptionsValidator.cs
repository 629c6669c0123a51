using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Audit;

/// <summary>Reports every problem in section <c>Audit</c> at start-up, not at the first revocation.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
