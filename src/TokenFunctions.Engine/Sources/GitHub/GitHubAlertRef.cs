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

    private static bool IsSegment(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 100 && value is not "." and not ".."
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
