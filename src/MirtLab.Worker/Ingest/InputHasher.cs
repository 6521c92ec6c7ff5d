using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MirtLab.Readers;

namespace MirtLab.Worker.Ingest;

/// <summary>
/// The content hash of a dropped item, the root of every key MirtLab derives. A file: SHA-256 of its bytes.
/// A folder: SHA-256 over each file's relative path, length and SHA-256, in ordinal path order, so the
/// same folder content always hashes the same wherever it was dropped.
/// </summary>
public static class InputHasher
{
    /// <summary>SHA-256 of a text that stands for an input which is not read (a symbolic link's description).</summary>
    public static string Compute(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Compute(ReadSource source, CancellationToken cancellationToken = default)
    {
        if (!source.IsFolder)
        {
            using var stream = source.Files[0].Open();
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        using var folderHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var file in source.Files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stream = file.Open();
            var fileHash = SHA256.HashData(stream);
            folderHash.AppendData(Encoding.UTF8.GetBytes(file.RelativePath));
            folderHash.AppendData([0]);
            BinaryPrimitives.WriteInt64LittleEndian(length, file.Length);
            folderHash.AppendData(length);
            folderHash.AppendData(fileHash);
        }

        return Convert.ToHexStringLower(folderHash.GetHashAndReset());
    }
}
