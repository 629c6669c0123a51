using System.Net.Sockets;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Microsoft.Extensions.Options;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Errors;

/// <summary>
/// Turns what the engine and the Azure SDK throw into one typed <see cref="CliException"/>: a message that names the key
/// and its file, the URL that did not answer or the credential that was refused. Anything not recognised is a bug and
/// stays an <see cref="CliErrorKind.Error"/> whose stack trace only <c>-v</c> prints.
/// </summary>
internal static partial class ErrorTranslator
{
    public static CliException Translate(Exception exception, CliContext context, bool interrupted)
    {
        if (interrupted && exception is OperationCanceledException)
        {
            return new CliException(CliErrorKind.Interrupted, "stopped by Ctrl+C; decisions already taken are audited and kill-switch progress is kept, so the same command resumes.", exception);
        }

        return exception switch
        {
            CliException cli => cli,
            OptionsValidationException invalid => CliException.Configuration(
                "the configuration is not valid: " + string.Join(" ", invalid.Failures.Select(f => WithOrigin(f, context))), invalid),
            ManagementCredentialUnavailableException unavailable => Credential(unavailable, context),
            AuthenticationFailedException or CredentialUnavailableException => CliException.Authentication(
                $"no Azure identity could sign in{ToVault(context)}: {FirstLine(exception.Message)} Sign in with 'az login', or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (KeyVault:ManagedIdentityClientId for a user-assigned identity).",
                exception),
            RequestFailedException failed => Azure(failed, context),
            AggregateException { InnerExceptions: [RequestFailedException first, ..] } => Azure(first, context),
            HttpRequestException http => CliException.Unreachable($"{TargetOf(exception, context)} did not answer: {FirstLine(http.Message)}", http),
            IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } => CliException.Usage(
                "the address is already in use: " + FirstLine(exception.Message)),
            InvalidOperationException when exception.Message.Contains("configured", StringComparison.OrdinalIgnoreCase) || exception.Message.Contains("KeyVault", StringComparison.Ordinal) =>
                CliException.Configuration(WithOrigin(exception.Message, context), exception),
            _ => new CliException(CliErrorKind.Error, $"unexpected {exception.GetType().Name}: {FirstLine(exception.Message)}", exception),
        };
    }

    /// <summary>Each setting a message names, followed by where it was set (or that it was set nowhere).</summary>
    internal static string WithOrigin(string message, CliContext context)
    {
        var keys = SettingKey().Matches(message).Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (keys.Count == 0)
        {
            return message;
        }

        var origins = keys.Select(k => CliConfiguration.OriginOf(context.Configuration, k)).ToList();
        var known = origins.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return message.TrimEnd() + (known.Count > 0
            ? $" (set in {string.Join("; ", known)})"
            : $" (not set in {CliConfiguration.Sources(context.Configuration)})");
    }

    private static CliException Credential(ManagementCredentialUnavailableException unavailable, CliContext context)
    {
        var cause = unavailable.InnerException is { } inner ? Translate(inner, context, interrupted: false) : null;
        var kind = cause?.Kind is CliErrorKind.Unreachable or CliErrorKind.Permission or CliErrorKind.NotFound
            ? cause.Kind
            : unavailable.IsTransient ? CliErrorKind.Unreachable : CliErrorKind.Authentication;
        return new CliException(kind, Redaction.Redact(FirstLine(unavailable.Message))! + (cause is null ? string.Empty : " " + cause.Message), unavailable);
    }

    private static CliException Azure(RequestFailedException failed, CliContext context)
    {
        var target = TargetOf(failed, context);
        var message = FirstLine(failed.Message);
        return failed.Status switch
        {
            401 => CliException.Authentication($"{target} refused the Azure identity (HTTP 401): {message}", failed),
            403 => CliException.Permission($"{target} denied the Azure identity (HTTP 403): {message} Grant it the role the deployment gives the app (Key Vault Secrets Officer for rotation).", failed),
            404 => CliException.NotFound($"{target}: not found (HTTP 404): {message}"),
            0 or 408 or 429 or >= 500 => CliException.Unreachable($"{target} did not answer: {message}", failed),
            _ => new CliException(CliErrorKind.Error, $"{target} rejected the request (HTTP {failed.Status}): {message}", failed),
        };
    }

    /// <summary>The service an exception came from, named by its configured URL when that is known.</summary>
    private static string TargetOf(Exception exception, CliContext context)
    {
        var trace = exception.ToString();
        if (trace.Contains("Azure.Security.KeyVault", StringComparison.Ordinal))
        {
            return "Key Vault" + (context.Configuration?["KeyVault:VaultUri"] is { Length: > 0 } vault ? " " + vault : string.Empty);
        }

        if (trace.Contains("Azure.Data.Tables", StringComparison.Ordinal))
        {
            return "Table Storage";
        }

        return "the server";
    }

    private static string ToVault(CliContext context) =>
        context.Configuration?["KeyVault:VaultUri"] is { Length: > 0 } vault ? " to Key Vault " + vault : string.Empty;

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return Redaction.Redact(line.EndsWith('.') ? line : line + ".")!;
    }

    [GeneratedRegex(@"\b(?:Dynatrace|KeyVault|Audit|Incidents|Rotation|KillSwitch|Sources|Notifications|Telemetry)(?::[A-Za-z0-9]+)+")]
    private static partial Regex SettingKey();
}
