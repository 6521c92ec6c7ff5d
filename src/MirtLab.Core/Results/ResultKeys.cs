using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MirtLab.Core.Results;

/// <summary>
/// Content-derived identities. The same bytes always give the same keys, so a retried delivery
/// upserts instead of inserting twice, and consumers can de-duplicate.
/// </summary>
public static class ResultKeys
{
    /// <summary>The run key: the first 20 hex digits of the input's SHA-256.</summary>
    public static string RunKey(string fileSha256) => fileSha256[..20];

    /// <summary>A result's key: 32 hex digits of SHA-256 over input hash, file inside the input, line (and column) and compound.</summary>
    public static string ResultKey(string fileSha256, SourcePosition source, string rawAnalyte)
    {
        var position = source.Column is int column
            ? string.Create(CultureInfo.InvariantCulture, $"{source.Line}:{column}")
            : source.Line.ToString(CultureInfo.InvariantCulture);
        var text = $"{fileSha256}\n{source.File}\n{position}\n{rawAnalyte.Trim()}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>A derived observation's key: 32 hex digits of SHA-256 over its components' keys and its code.</summary>
    public static string DerivedKey(IEnumerable<string> componentKeys, string analyteCode)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', componentKeys.Append(analyteCode))), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
