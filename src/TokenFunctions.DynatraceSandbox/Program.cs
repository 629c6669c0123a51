using TokenFunctions.DynatraceSandbox;

// Standalone loopback Dynatrace for local runs of the function app:
//   dotnet run --project src/TokenFunctions.DynatraceSandbox -- --urls http://127.0.0.1:5055 --seed seed.json
var url = ArgValue(args, "--urls") ?? "http://127.0.0.1:5055";
var seedPath = ResolvePath(ArgValue(args, "--seed"));
await using var sandbox = await DynatraceSandbox.StartAsync(new SandboxOptions
{
    Url = url,
    Seed = seedPath is null ? null : SandboxSeed.Load(seedPath),
    ConsoleLogging = args.Contains("--log"),
});

Console.WriteLine($"Dynatrace sandbox listening on {sandbox.BaseUrl}");
foreach (var environment in sandbox.Environments)
{
    Console.WriteLine($"  environment {environment.Id}: {sandbox.EnvironmentBaseUrl(environment.Id)} ({environment.TokenCount} tokens)");
}

foreach (var account in sandbox.Accounts)
{
    Console.WriteLine($"  account {account.Uuid}: ApiBaseUrl {sandbox.AccountApiBaseUrl}, SsoTokenEndpoint {sandbox.SsoTokenEndpoint}");
}

Console.WriteLine($"  default environment (SaaS form {sandbox.BaseUrl}): {sandbox.DefaultEnvironmentId ?? "(none)"}. Ctrl+C stops.");
await sandbox.WaitForShutdownAsync();

static string? ArgValue(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

// `dotnet run` starts the app in the project directory; a relative --seed means relative to where the user typed it.
static string? ResolvePath(string? path) =>
    path is null || Path.IsPathRooted(path) || File.Exists(path) || Environment.GetEnvironmentVariable("PWD") is not { } pwd
        ? path
        : Path.Combine(pwd, path);
