using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.Cli.Storage;

/// <summary>File names for store keys: incident ids are free text, so they are hashed rather than escaped.</summary>
internal static class StoreKeys
{
    public static string FileName(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];
}
