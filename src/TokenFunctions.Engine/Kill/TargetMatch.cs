namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Where a token lives: the client of the environment or account that answered 200 and its metadata, or why no owner
/// was found (<see cref="TokenOutcomeKind.NotFound"/>, <see cref="TokenOutcomeKind.Denied"/>, <see cref="TokenOutcomeKind.Unaddressable"/>
/// or <see cref="TokenOutcomeKind.Failed"/>), with the owners whose 404 did not prove the token absent.
/// </summary>
internal sealed record TargetMatch<TClient, TInfo>(TClient? Client, string? OwnerName, TInfo? Info, TokenOutcomeKind Failure, string? Detail)
    where TClient : class
{
    public bool Found => Client is not null;

    /// <summary>Owners that answered <see cref="Dynatrace.DynatraceStatus.Unaddressable"/>: the token may live there under another id.</summary>
    public IReadOnlyList<TClient> Unaddressed { get; init; } = [];

    public static TargetMatch<TClient, TInfo> Of(TClient client, string ownerName, TInfo info) =>
        new(client, ownerName, info, default, null);

    public static TargetMatch<TClient, TInfo> Missing(TokenOutcomeKind failure, string detail) => new(null, null, default, failure, detail);
}
