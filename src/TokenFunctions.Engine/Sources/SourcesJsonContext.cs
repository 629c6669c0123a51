using System.Text.Json.Serialization;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.GitLab;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Response;

namespace TokenFunctions.Engine.Sources;

/// <summary>
/// Source-generated JSON for every payload the sources read or write. Strict where it matters: no comments, no trailing
/// commas, no duplicate properties (a second <c>"action"</c> cannot smuggle a different value past a filter).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(GitHubAlertEvent))]
[JsonSerializable(typeof(GitHubAlertDetails))]
[JsonSerializable(typeof(GitHubAlertResolution))]
[JsonSerializable(typeof(GitHubInstallationToken))]
[JsonSerializable(typeof(List<PartnerMatch?>))]
[JsonSerializable(typeof(List<PartnerFeedbackLabel>))]
[JsonSerializable(typeof(PartnerPublicKeysDocument))]
[JsonSerializable(typeof(GitGuardianEvent))]
[JsonSerializable(typeof(GenericLeakReport))]
[JsonSerializable(typeof(List<GitLabRevokeItem?>))]
[JsonSerializable(typeof(GitLabTokenTypes))]
[JsonSerializable(typeof(OutcomeSummary))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(string))]
public sealed partial class SourcesJsonContext : JsonSerializerContext;
