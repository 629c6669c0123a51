namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// Which tokens of a target a page listing keeps: classic tokens by Dynatrace's <c>owner("…")</c> and <c>scope("…")</c>
/// (none of them: every classic token), platform tokens by their user's UUID (none: every platform token).
/// </summary>
public sealed record TokenSelector(string? Owner = null, string? Scope = null, string? PlatformUserUuid = null);
