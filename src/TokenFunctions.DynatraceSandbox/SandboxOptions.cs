namespace TokenFunctions.DynatraceSandbox;

public sealed record SandboxOptions
{
    /// <summary>Where to listen. Loopback with a random port by default.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>The sandbox's clock: token and bearer expiry, creation dates, <c>Retry-After</c> dates. Latency and rate limits use real time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public SandboxSeed? Seed { get; init; }

    /// <summary>
    /// The number of the first platform-token list page, 0 or 1: Dynatrace does not document it, so the engine must work
    /// with both. A page below the base answers an empty page, as a strict 1-based server may.
    /// </summary>
    public int PlatformTokenPageBase { get; init; }

    /// <summary>
    /// The reading of Dynatrace's platform-token sources to play (paging names and base, scope family, id form, list
    /// fields). When set, its <see cref="SandboxPlatformReading.PageBase"/> wins over <see cref="PlatformTokenPageBase"/>.
    /// </summary>
    public SandboxPlatformReading? PlatformReading { get; init; }

    /// <summary>Keep a journal of answered requests (<see cref="DynatraceSandbox.Requests"/>). Turn off for benchmarks.</summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>Log requests to the console (standalone runs); off by default so tests and benchmarks stay fast.</summary>
    public bool ConsoleLogging { get; init; }
}
