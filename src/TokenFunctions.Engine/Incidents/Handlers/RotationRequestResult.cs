namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>The typed answer of <see cref="IRotationRequestHandler"/>. <see cref="Detail"/> must already be secret-free.</summary>
public sealed record RotationRequestResult(RotationRequestStatus Status, string? Detail = null)
{
    /// <summary>Where the replacement secret is (e.g. a Key Vault secret id), when rotated.</summary>
    public string? ReplacementLocation { get; init; }

    public static RotationRequestResult Rotated(string? replacementLocation = null) => new(RotationRequestStatus.Rotated) { ReplacementLocation = replacementLocation };

    public static RotationRequestResult NotManaged(string? detail = null) => new(RotationRequestStatus.NotManaged, detail);

    public static RotationRequestResult Failed(string detail) => new(RotationRequestStatus.Failed, detail);

    public static RotationRequestResult NeedsHuman(string detail) => new(RotationRequestStatus.NeedsHuman, detail);

    public static RotationRequestResult Unavailable(string detail) => new(RotationRequestStatus.Unavailable, detail);
}
