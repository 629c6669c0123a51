using System.Collections.Concurrent;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Picks the Dynatrace client that acts on a managed credential. The app's own management credentials are managed
/// credentials too, and the one being rotated must never be the one making the calls: the primary is rotated (created,
/// verified, disabled, deleted) through the secondary, and the secondary through the primary. For the primary it asks
/// <see cref="IDynatraceClientFactory"/> for one client per environment with its two credentials swapped, so Dynatrace's
/// "you can't disable the token you're using" never applies and a leaked, already-disabled primary is not needed to
/// create its own replacement.
/// </summary>
public sealed class TokenTargets
{
    private readonly IDynatraceDirectory _directory;
    private readonly IDynatraceClientFactory? _factory;
    private readonly ConcurrentDictionary<string, EnvironmentTarget> _swapped = new(StringComparer.Ordinal);

    public TokenTargets(IDynatraceDirectory directory, IDynatraceClientFactory? factory = null)
    {
        _directory = directory;
        _factory = factory;
    }

    public IEnumerable<ITokenTarget> All => _directory.Targets();

    /// <summary>The target for tokens of <paramref name="kind"/> in <paramref name="targetName"/>, acting safely for <paramref name="secretName"/>.</summary>
    public TargetChoice Resolve(string targetName, TokenKind kind, string secretName)
    {
        if (kind == TokenKind.PlatformToken)
        {
            var account = _directory.TargetsFor(kind).FirstOrDefault(t => string.Equals(t.Name, targetName, StringComparison.Ordinal));
            return account is null
                ? TargetChoice.Refuse($"account '{targetName}' is not configured")
                : TargetChoice.Use(account);
        }

        if (kind != TokenKind.ClassicApiToken)
        {
            return TargetChoice.Refuse($"{kind} tokens cannot be rotated through an API");
        }

        var client = _directory.Environments.FirstOrDefault(e => string.Equals(e.Environment.Name, targetName, StringComparison.Ordinal));
        if (client is null)
        {
            return TargetChoice.Refuse($"environment '{targetName}' is not configured");
        }

        var environment = client.Environment;
        if (!IsSecret(environment.Credential, secretName))
        {
            // Any other credential, including the secondary management credential: the primary acts.
            return TargetChoice.Use(new EnvironmentTarget(client), selfRotation: IsSecret(environment.SecondaryCredential, secretName));
        }

        if (environment.SecondaryCredential is null)
        {
            return TargetChoice.Refuse(
                $"'{secretName}' is the primary management credential of environment '{targetName}' and no secondary credential is configured: " +
                "Dynatrace will not let a token disable itself, so configure Dynatrace:Environments:*:SecondaryCredentialSecretName first");
        }

        if (_factory is null)
        {
            return TargetChoice.Refuse(
                $"'{secretName}' is the primary management credential of environment '{targetName}', and no {nameof(IDynatraceClientFactory)} is registered to act with the secondary credential");
        }

        var target = _swapped.GetOrAdd(environment.Name, _ => new EnvironmentTarget(
            _factory.CreateEnvironment(environment with { Credential = environment.SecondaryCredential, SecondaryCredential = environment.Credential })));
        return TargetChoice.Use(target, selfRotation: true);
    }

    private static bool IsSecret(CredentialReference? reference, string secretName) =>
        reference?.KeyVaultSecretName is { } name && string.Equals(name, secretName, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Either a target to act through, or why there is none.</summary>
public sealed record TargetChoice(ITokenTarget? Target, string? Refusal, bool SelfRotation)
{
    public static TargetChoice Use(ITokenTarget target, bool selfRotation = false) => new(target, null, selfRotation);

    public static TargetChoice Refuse(string reason) => new(null, reason, false);
}
