namespace MirtLab.Testing;

/// <summary>A fresh folder under the system temp directory, removed when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    /// <param name="prefix">Start of the folder's name.</param>
    /// <param name="parent">Where to create it; default the system temp directory.</param>
    public TempFolder(string prefix = "mirtlab-test", string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server child process may still hold a file for a moment; the OS cleans temp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
