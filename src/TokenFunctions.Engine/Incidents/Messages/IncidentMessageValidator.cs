using System.Buffers;
using System.Globalization;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// The contract rules beyond JSON shape. Descriptions name the field and the rule, never the offending value (it may be
/// a secret); only a token's public id, which Dynatrace documents as safe to log, is ever repeated.
/// </summary>
public static class IncidentMessageValidator
{
    public const int MaxIncidentIdLength = 200;
    public const int MaxRequestedByLength = 256;
    public const int MaxReasonLength = 2000;
    public const int MaxSourceLength = 64;
    public const int MaxLocationLength = 2048;
    public const int MaxNameLength = 128;
    public const int MaxOwnerLength = 256;

    private static readonly SearchValues<char> ScopeAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public static IncidentMessageError? Validate(IncidentMessage message, int maxTokensPerMessage)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Version != IncidentMessage.CurrentVersion)
        {
            return new(DeadLetterReasons.UnsupportedVersion, VersionText(message.Version));
        }

        var common = Identifier("incidentId", message.IncidentId, MaxIncidentIdLength, required: true)
            ?? Identifier("requestedBy", message.RequestedBy, MaxRequestedByLength, required: message is EnableMessage or KillSwitchMessage)
            ?? Text("reason", message.Reason, MaxReasonLength, required: message is EnableMessage)
            ?? Text("source", message.Source, MaxSourceLength, required: false);
        if (common is not null)
        {
            return common;
        }

        return message switch
        {
            DisableMessage d => Text("location", d.Location, MaxLocationLength, required: false)
                ?? Identifier("environment", d.Environment, MaxNameLength, required: false)
                ?? GitHubAlert(d.GitHubAlert)
                ?? Tokens(d.Tokens, maxTokensPerMessage),
            RotateMessage r => TokenIds(r.TokenIds, maxTokensPerMessage),
            EnableMessage e => Identifier("environment", e.Environment, MaxNameLength, required: false)
                ?? TokenIds(e.TokenIds, maxTokensPerMessage),
            KillSwitchMessage k => Selector(k.Selector),
            _ => new(DeadLetterReasons.UnknownType, "type is not one of disable, rotate, kill-switch, enable."),
        };
    }

    internal static string VersionText(int version) =>
        string.Create(CultureInfo.InvariantCulture, $"version {version} is not supported by this deployment, which reads version {IncidentMessage.CurrentVersion}. Send \"version\": {IncidentMessage.CurrentVersion} or upgrade TokenFunctions.");

    private static IncidentMessageError? Tokens(IReadOnlyList<string>? tokens, int max)
    {
        if (Count("tokens", tokens, max) is { } error)
        {
            return error;
        }

        for (var i = 0; i < tokens!.Count; i++)
        {
            var entry = tokens[i];
            if (!TokenSecret.TryParse(entry, out _) && !TokenId.TryParse(entry, out _))
            {
                return Violation($"tokens[{i}] is neither a Dynatrace token id (dt0c01.PUBLIC) nor a full token (dt0c01.PUBLIC.SECRET).");
            }
        }

        return null;
    }

    private static IncidentMessageError? TokenIds(IReadOnlyList<string>? ids, int max)
    {
        if (Count("tokenIds", ids, max) is { } error)
        {
            return error;
        }

        for (var i = 0; i < ids!.Count; i++)
        {
            var entry = ids[i];
            if (TokenSecret.TryParse(entry, out var secret))
            {
                return Violation($"tokenIds[{i}] is a full token including its secret; send only its id {secret.Id}.");
            }

            if (!TokenId.TryParse(entry, out _))
            {
                return Violation($"tokenIds[{i}] is not a Dynatrace token id (dt0c01.PUBLIC or dt0s16.PUBLIC).");
            }
        }

        return null;
    }

    private static IncidentMessageError? Count(string field, IReadOnlyList<string>? entries, int max)
    {
        if (entries is null || entries.Count == 0)
        {
            return Violation($"{field} must list at least one token.");
        }

        if (entries.Count > max)
        {
            return Violation(string.Create(CultureInfo.InvariantCulture, $"{field} lists {entries.Count:N0} entries; at most {max:N0} are allowed per message. Split the incident into several messages with the same incidentId."));
        }

        return null;
    }

    private static IncidentMessageError? GitHubAlert(GitHubAlertReference? alert)
    {
        if (alert is null)
        {
            return null;
        }

        if (!GitHubAlertReference.IsSegment(alert.Owner))
        {
            return Violation("gitHubAlert.owner must be 1-100 ASCII letters, digits, '-', '_' or '.' (and not '.' or '..').");
        }

        if (!GitHubAlertReference.IsSegment(alert.Repository))
        {
            return Violation("gitHubAlert.repository must be 1-100 ASCII letters, digits, '-', '_' or '.' (and not '.' or '..').");
        }

        return alert.Number > 0 ? null : Violation("gitHubAlert.number must be a positive alert number.");
    }

    private static IncidentMessageError? Selector(KillSwitchSelector? s)
    {
        if (s is null)
        {
            return Violation("selector is required.");
        }

        var fields = Identifier("selector.owner", s.Owner, MaxOwnerLength, required: false)
            ?? Identifier("selector.environment", s.Environment, MaxNameLength, required: false)
            ?? Identifier("selector.account", s.Account, MaxNameLength, required: false);
        if (fields is not null)
        {
            return fields;
        }

        if (s.Owner is not null && s.Owner.AsSpan().IndexOfAny('"', '\\') >= 0)
        {
            return Violation("selector.owner must not contain quotes or backslashes.");
        }

        if (s.Scope is not null && (s.Scope.Length is 0 or > MaxNameLength || s.Scope.AsSpan().ContainsAnyExcept(ScopeAlphabet)))
        {
            return Violation("selector.scope must be one Dynatrace token scope such as DataExport or apiTokens.read (letters, digits, '.', '_', ':', '-').");
        }

        if (s.PlatformUserUuid is not null && !Guid.TryParseExact(s.PlatformUserUuid, "D", out _))
        {
            return Violation("selector.platformUserUuid must be a user UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6.");
        }

        var classic = s.Owner is not null || s.Scope is not null;
        if (s.Environment is not null && !classic && !s.AllTokens)
        {
            return Violation("selector.environment narrows classic tokens: add owner or scope, or set allTokens: true to disable every token in that environment.");
        }

        if (s.Account is not null && s.PlatformUserUuid is null && !s.AllTokens)
        {
            return Violation("selector.account narrows platform tokens: add platformUserUuid, or set allTokens: true to disable every platform token in that account.");
        }

        if (s.AllTokens && s.Environment is null && s.Account is null)
        {
            return Violation("selector.allTokens needs an environment or an account: a kill-switch never covers every environment at once.");
        }

        if (!classic && s.PlatformUserUuid is null && !s.AllTokens)
        {
            return Violation("selector needs at least one criterion: owner, scope, platformUserUuid, or allTokens with an environment or account.");
        }

        return null;
    }

    /// <summary>Identifiers end up in keys, logs and audit records, so a secret in one is refused rather than redacted.</summary>
    private static IncidentMessageError? Identifier(string field, string? value, int maxLength, bool required)
    {
        if (Text(field, value, maxLength, required) is { } error)
        {
            return error;
        }

        if (value is null)
        {
            return null;
        }

        // Line breaks in an identifier would let a producer forge log lines.
        if (value.AsSpan().IndexOfAny('\n', '\r', '\t') >= 0)
        {
            return Violation($"{field} must be a single line.");
        }

        return TokenScanner.FindAll(value).Count > 0
            ? Violation($"{field} contains a Dynatrace token secret; use a plain identifier.")
            : null;
    }

    /// <summary>Free text (reason, location) is redacted where it is used, so only its size and characters are checked here.</summary>
    private static IncidentMessageError? Text(string field, string? value, int maxLength, bool required)
    {
        if (value is null)
        {
            return required ? Violation($"{field} is required.") : null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return Violation($"{field} must not be blank.");
        }

        if (value.Length > maxLength)
        {
            return Violation(string.Create(CultureInfo.InvariantCulture, $"{field} is longer than {maxLength} characters."));
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return Violation($"{field} contains control characters.");
            }
        }

        return null;
    }

    private static IncidentMessageError Violation(string description) => new(DeadLetterReasons.SchemaViolation, description);
}
