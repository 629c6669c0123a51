namespace TokenFunctions.Cli.Storage;

/// <summary>
/// An exclusive lock file shared by every CLI process on the machine: two responders running <c>kill-switch</c> on the
/// same state folder serialise their writes instead of losing one.
/// </summary>
internal static class FileLock
{
    private const int MaxAttempts = 200;

    public static async Task<IDisposable> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < MaxAttempts)
            {
                // Another process holds it for one read-modify-write: milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Replaces a file atomically: readers see the old content or the new, never half of it.</summary>
    public static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
