using System.Text;

namespace TokenFunctions.Engine.Tests.Sources.Support;

public static class SamplePayloads
{
    /// <summary>A <c>secret_scanning_alert</c> delivery shaped like GitHub's (no secret in it). <paramref name="padding"/> grows it.</summary>
    public static byte[] GitHubAlert(string action = "created", long number = 42, string secretType = "dynatrace_api_token", string? validity = "unknown", int padding = 0)
    {
        var pad = padding > 0 ? new string('x', padding) : string.Empty;
        var json = $$$"""
        {"action":"{{{action}}}","alert":{"number":{{{number}}},"created_at":"2026-03-01T11:59:00Z","updated_at":"2026-03-01T11:59:00Z",
        "url":"https://api.github.com/repos/octo-org/hello/secret-scanning/alerts/{{{number}}}","html_url":"https://github.com/octo-org/hello/security/secret-scanning/{{{number}}}",
        "locations_url":"https://api.github.com/repos/octo-org/hello/secret-scanning/alerts/{{{number}}}/locations","state":"open","resolution":null,"resolved_at":null,
        "resolved_by":null,"resolution_comment":null,"secret_type":"{{{secretType}}}","secret_type_display_name":"Dynatrace API Token","validity":{{{(validity is null ? "null" : $"\"{validity}\"")}}},
        "push_protection_bypassed":false,"push_protection_bypassed_by":null,"publicly_leaked":false,"multi_repo":false},
        "repository":{"id":1296269,"node_id":"MDEwOlJlcG9zaXRvcnkxMjk2MjY5","name":"hello","full_name":"octo-org/hello","private":true,
        "owner":{"login":"octo-org","id":1,"type":"Organization"},"html_url":"https://github.com/octo-org/hello","description":"{{{pad}}}","fork":false},
        "organization":{"login":"octo-org","id":1},"sender":{"login":"github","id":9919,"type":"Bot"}}
        """;
        return Encoding.UTF8.GetBytes(json);
    }

    public static byte[] GitGuardian(string action = "incident_triggered", string? secretHash = null, string detector = "dynatrace_token", string? validity = "valid") =>
        Encoding.UTF8.GetBytes($$$"""
        {"source":"GitGuardian","timestamp":"2026-03-01T12:00:00Z","action":"{{{action}}}","message":"A new incident","target_user":"sec",
        "incident":{"id":4711,"date":"2026-03-01T11:58:00Z","detector":{"name":"{{{detector}}}","display_name":"Dynatrace Token","nature":"specific","family":"Api"},
        "secret_hash":{{{(secretHash is null ? "null" : $"\"{secretHash}\"")}}},"hmsl_hash":null,"secret_revoked":false,"occurrence_count":1,"status":"TRIGGERED",
        "severity":"critical","validity":{{{(validity is null ? "null" : $"\"{validity}\"")}}},"gitguardian_url":"https://dashboard.gitguardian.com/workspace/1/incidents/4711"},
        "occurrence":{"id":99,"incident_id":4711,"kind":"realtime","url":"https://github.com/octo-org/hello/commit/abc#L1","filepath":"config.yml"}}
        """);

    public static byte[] Generic(IEnumerable<string> tokens, string? id = "evt-1", string? environment = null) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["tokens"] = tokens.ToArray(),
            ["reason"] = "trufflehog verified finding",
            ["location"] = "https://github.com/octo-org/hello/blob/main/app.env",
            ["environment"] = environment,
            ["scanner"] = "trufflehog",
        }));

    public static byte[] Partner(params (string Token, string Type)[] matches) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(matches.Select(m => new Dictionary<string, string>
        {
            ["token"] = m.Token,
            ["type"] = m.Type,
            ["url"] = "https://github.com/octo-org/hello/blob/abc/.env",
            ["source"] = "content",
        })));

    public static byte[] GitLab(params (string Type, string Token)[] items) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(items.Select(i => new Dictionary<string, string>
        {
            ["type"] = i.Type,
            ["token"] = i.Token,
            ["location"] = "https://gitlab.example.com/group/project/-/blob/main/.env",
        })));
}
