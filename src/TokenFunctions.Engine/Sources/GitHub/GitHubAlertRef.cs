using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>Which alert: repository owner, name and alert number.</summary>
public sealed record GitHubAlertRef(string Owner, string Repository, long Number)
{
    public string RelativePath => $"repos/{Uri.EscapeDataString(Owner)}/{Uri.EscapeDataString(Repository)}/secret-scanning/alerts/{Number}";

    public override string ToString() => $"{Owner}/{Repository}#{Number}";

    /// <summary>From <c>repository.full_name</c> (or <c>owner.login</c> + <c>name</c>) and <c>alert.number</c>.</summary>
    public static GitHubAlertRef? From(GitHubRepository? repository, long? number)
    {
        if (repository is null || number is not > 0)
        {
            return null;
        }

        string? owner = repository.Owner?.Login;
        string? name = repository.Name;
        if (repository.FullName is { } full && full.Split('/') is [var o, var n])
        {
            owner = o;
            name = n;
        }

        return IsSegment(owner) && IsSegment(name) ? new GitHubAlertRef(owner!, name!, number.Value) : null;
    }

    /// <summary>The reference a queued <c>disable</c> carries so the queue can resolve the alert later.</summary>
    public GitHubAlertReference ToReference() => new() { Owner = Owner, Repository = Repository, Number = Number };

    /// <summary>From a queue message's reference, under the same rules as <see cref="From(GitHubRepository?, long?)"/>.</summary>
    public static GitHubAlertRef? From(GitHubAlertReference? reference) =>
        reference is not null && reference.Number > 0 && IsSegment(reference.Owner) && IsSegment(reference.Repository)
            ? new GitHubAlertRef(reference.Owner, reference.Repository, reference.Number)
            : null;

    // One rule for the webhook and the queue contract, so a hand-off the endpoint builds always validates.
    private static bool IsSegment(string? value) => GitHubAlertReference.IsSegment(value);
}
