namespace TokenFunctions.Cli.Scanning;

/// <summary>What a path is, read without opening it.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    Socket,
    CharacterDevice,
    BlockDevice,

    /// <summary>This platform cannot tell: only a non-empty entry is opened.</summary>
    Unknown,
}
