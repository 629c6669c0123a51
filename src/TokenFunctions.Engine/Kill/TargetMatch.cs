using TokenFunctions.Engine.Dynatrace.Targets;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Where a token lives: the environment or account that answered 200 and its answer, or why no owner was found
/// (<see cref="TokenOutcomeKind.NotFound"/>, <see cref="TokenOutcomeKind.Denied"/>, <see cref="TokenOutcomeKind.Unaddressable"/>
/// or <see cref="TokenOutcomeKind.Failed"/>, with its <see cref="OutcomeCause"/>), with the owners whose 404 did not prove the token absent.
/// </summary>
internal sealed record TargetMatch<TInfo>(ITokenTarget? Target, TInfo? Info, TokenOutcomeKind Failure, string? Detail)
{
    public bool Found => Target is not null;

    /// <summary>The owner's name, when found.</summary>
    public string? OwnerName => Target?.Name;

    public OutcomeCause Cause { get; init; }

    /// <summary>Owners that answered <see cref="Dynatrace.DynatraceStatus.Unaddressable"/>: the token may live there under another id.</summary>
    public IReadOnlyList<ITokenTarget> Unaddressed { get; init; } = [];

    public static TargetMatch<TInfo> Of(ITokenTarget target, TInfo info) => new(target, info, default, null);

    public static TargetMatch<TInfo> Missing(TokenOutcomeKind failure, string detail, OutcomeCause cause = OutcomeCause.None) =>
        new(null, default, failure, detail) { Cause = cause };
}
