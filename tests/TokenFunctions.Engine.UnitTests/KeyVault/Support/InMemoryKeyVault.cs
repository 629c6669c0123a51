using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;

namespace TokenFunctions.Engine.UnitTests.KeyVault.Support;

/// <summary>
/// A Key Vault that keeps state, behind a strict <see cref="Mock{SecretClient}"/> (the SDK's virtual methods). Versions,
/// per-version tags, content type, expiry and creation time behave like the service: tags belong to a version, the newest
/// version is what a versionless read returns, listings omit versions and values, and every read hands out a copy so a
/// caller mutating what it got cannot change the vault. Faults are injected per operation.
/// </summary>
public sealed class InMemoryKeyVault
{
    public static readonly Uri VaultUri = new("https://kv-test.vault.azure.net/");

    private readonly Dictionary<string, List<StoredVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private int _sequence;

    public InMemoryKeyVault(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        Mock = new Mock<SecretClient>(MockBehavior.Strict);
        Mock.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Returns((KeyVaultSecret s, CancellationToken _) => Respond(() => Set(s)));
        Mock.Setup(c => c.SetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string n, string v, CancellationToken _) => Respond(() => Set(new KeyVaultSecret(n, v))));
        Mock.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string n, string? v, CancellationToken _) => Respond(() => Get(n, v)));
        Mock.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns((string n, string? v, SecretContentType? _, CancellationToken _) => Respond(() => Get(n, v)));
        Mock.Setup(c => c.UpdateSecretPropertiesAsync(It.IsAny<SecretProperties>(), It.IsAny<CancellationToken>()))
            .Returns((SecretProperties p, CancellationToken _) => Respond(() => Update(p)));
        Mock.Setup(c => c.GetPropertiesOfSecretsAsync(It.IsAny<CancellationToken>()))
            .Returns((CancellationToken _) => Pageable(ListLatest));
        Mock.Setup(c => c.GetPropertiesOfSecretVersionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string n, CancellationToken _) => Pageable(() => ListVersions(n)));
        Mock.SetupGet(c => c.VaultUri).Returns(VaultUri);
    }

    public Mock<SecretClient> Mock { get; }

    public SecretClient Client => Mock.Object;

    /// <summary>Return an exception to fail the call (the write is not applied), or null to let it through.</summary>
    public Func<KeyVaultSecret, Exception?>? OnSet { get; set; }

    /// <summary>Called after a write was applied: return an exception to make it look failed although it landed.</summary>
    public Func<KeyVaultSecret, Exception?>? AfterSet { get; set; }

    public Func<string, Exception?>? OnGet { get; set; }

    public Func<SecretProperties, Exception?>? OnUpdate { get; set; }

    public Func<Exception?>? OnList { get; set; }

    public int ListCalls { get; private set; }

    public int SetCalls { get; private set; }

    public IReadOnlyList<string> SecretNames
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Keys.ToList();
            }
        }
    }

    public static RequestFailedException Failure(int status, string code = "Failure") => new(status, $"{code} (simulated)", code, null);

    /// <summary>Adds a version directly (the operator's enrolment), bypassing fault hooks.</summary>
    public StoredVersion Seed(string name, string value, IDictionary<string, string>? tags = null, DateTimeOffset? expiresOn = null, string? contentType = null)
    {
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ExpiresOn = expiresOn;
        secret.Properties.ContentType = contentType;
        foreach (var (k, v) in tags ?? new Dictionary<string, string>())
        {
            secret.Properties.Tags[k] = v;
        }

        lock (_gate)
        {
            return Add(secret);
        }
    }

    public IReadOnlyList<StoredVersion> Versions(string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue(name, out var list) ? list.ToList() : [];
        }
    }

    public StoredVersion? Latest(string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue(name, out var list) ? list[^1] : null;
        }
    }

    public IEnumerable<StoredVersion> AllVersions()
    {
        lock (_gate)
        {
            return _secrets.Values.SelectMany(v => v).ToList();
        }
    }

    /// <summary>Operator edits a version's tags (e.g. to break them).</summary>
    public void EditTags(string name, Action<Dictionary<string, string>> edit)
    {
        lock (_gate)
        {
            edit(_secrets[name][^1].Tags);
        }
    }

    private static Task<Response<T>> Respond<T>(Func<T> action)
    {
        try
        {
            return Task.FromResult(Response.FromValue(action(), new Mock<Response>().Object));
        }
        catch (RequestFailedException e)
        {
            return Task.FromException<Response<T>>(e);
        }
    }

    private static AsyncPageable<SecretProperties> Pageable(Func<List<SecretProperties>> list)
    {
        // Materialised when enumerated, like the SDK's lazy pageable, so faults surface on iteration.
        return new LazyPageable(list);
    }

    private KeyVaultSecret Set(KeyVaultSecret secret)
    {
        if (OnSet?.Invoke(secret) is { } error)
        {
            throw error;
        }

        StoredVersion stored;
        lock (_gate)
        {
            SetCalls++;
            stored = Add(secret);
        }

        if (AfterSet?.Invoke(secret) is { } late)
        {
            throw late;
        }

        return stored.ToSecret();
    }

    private StoredVersion Add(KeyVaultSecret secret)
    {
        if (string.IsNullOrEmpty(secret.Name) || secret.Name.Length > 127 || !secret.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw Failure(400, "BadParameter");
        }

        if (secret.Properties.Tags.Count > 15 || secret.Properties.Tags.Any(t => t.Key.Length > 512 || t.Value.Length > 512))
        {
            throw Failure(400, "BadParameter");
        }

        var version = new StoredVersion
        {
            Name = _secrets.TryGetValue(secret.Name, out var existing) ? existing[0].Name : secret.Name,
            Version = (++_sequence).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..24],
            Value = secret.Value,
            ContentType = secret.Properties.ContentType,
            ExpiresOn = secret.Properties.ExpiresOn,
            Enabled = secret.Properties.Enabled ?? true,
            CreatedOn = _timeProvider.GetUtcNow(),
            Tags = new Dictionary<string, string>(secret.Properties.Tags, StringComparer.Ordinal),
        };
        if (existing is null)
        {
            existing = [];
            _secrets[secret.Name] = existing;
        }

        existing.Add(version);
        return version;
    }

    private KeyVaultSecret Get(string name, string? version)
    {
        if (OnGet?.Invoke(name) is { } error)
        {
            throw error;
        }

        lock (_gate)
        {
            if (!_secrets.TryGetValue(name, out var list))
            {
                throw Failure(404, "SecretNotFound");
            }

            var found = string.IsNullOrEmpty(version) ? list[^1] : list.FirstOrDefault(v => v.Version == version);
            if (found is null)
            {
                throw Failure(404, "SecretNotFound");
            }

            if (!found.Enabled)
            {
                throw Failure(403, "Forbidden");
            }

            return found.ToSecret();
        }
    }

    private SecretProperties Update(SecretProperties properties)
    {
        if (OnUpdate?.Invoke(properties) is { } error)
        {
            throw error;
        }

        lock (_gate)
        {
            if (!_secrets.TryGetValue(properties.Name, out var list))
            {
                throw Failure(404, "SecretNotFound");
            }

            // The SDK's update needs a version; a versionless update would be a bug in the caller.
            var found = list.FirstOrDefault(v => v.Version == properties.Version) ?? throw Failure(400, "BadParameter");
            if (properties.Tags.Count > 15)
            {
                throw Failure(400, "BadParameter");
            }

            found.Tags = new Dictionary<string, string>(properties.Tags, StringComparer.Ordinal);
            found.ContentType = properties.ContentType ?? found.ContentType;
            found.ExpiresOn = properties.ExpiresOn ?? found.ExpiresOn;
            found.Enabled = properties.Enabled ?? found.Enabled;
            found.UpdatedOn = _timeProvider.GetUtcNow();
            return found.ToProperties(withVersion: true);
        }
    }

    private List<SecretProperties> ListLatest()
    {
        if (OnList?.Invoke() is { } error)
        {
            throw error;
        }

        lock (_gate)
        {
            ListCalls++;
            return _secrets.Values.Select(v => v[^1].ToProperties(withVersion: false)).ToList();
        }
    }

    private List<SecretProperties> ListVersions(string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue(name, out var list) ? list.Select(v => v.ToProperties(withVersion: true)).ToList() : throw Failure(404, "SecretNotFound");
        }
    }

    public sealed class StoredVersion
    {
        public required string Name { get; init; }

        public required string Version { get; init; }

        public required string Value { get; init; }

        public string? ContentType { get; set; }

        public DateTimeOffset? ExpiresOn { get; set; }

        public bool Enabled { get; set; }

        public DateTimeOffset CreatedOn { get; init; }

        public DateTimeOffset? UpdatedOn { get; set; }

        public Dictionary<string, string> Tags { get; set; } = [];

        public Uri Id => new(VaultUri, $"secrets/{Name}/{Version}");

        public KeyVaultSecret ToSecret() => SecretModelFactory.KeyVaultSecret(ToProperties(withVersion: true), Value);

        public SecretProperties ToProperties(bool withVersion)
        {
            var properties = SecretModelFactory.SecretProperties(
                id: withVersion ? Id : new Uri(VaultUri, $"secrets/{Name}"),
                vaultUri: VaultUri,
                name: Name,
                version: withVersion ? Version : null,
                managed: false,
                createdOn: CreatedOn,
                updatedOn: UpdatedOn ?? CreatedOn);
            properties.ContentType = ContentType;
            properties.ExpiresOn = ExpiresOn;
            properties.Enabled = Enabled;
            foreach (var (k, v) in Tags)
            {
                properties.Tags[k] = v;
            }

            return properties;
        }
    }

    private sealed class LazyPageable(Func<List<SecretProperties>> list) : AsyncPageable<SecretProperties>
    {
        public override async IAsyncEnumerable<Page<SecretProperties>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
        {
            await Task.Yield();
            yield return Page<SecretProperties>.FromValues(list(), null, new Mock<Response>().Object);
        }
    }
}
