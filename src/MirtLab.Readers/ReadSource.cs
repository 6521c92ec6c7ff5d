namespace MirtLab.Readers;

/// <summary>One file of a dropped item, opened on demand.</summary>
public sealed class SourceFile
{
    private readonly Func<Stream> _open;

    public SourceFile(string relativePath, long length, Func<Stream> open)
    {
        RelativePath = relativePath;
        Length = length;
        _open = open;
    }

    /// <summary>Path inside the dropped item with '/' separators; the file name itself for a single file.</summary>
    public string RelativePath { get; }

    public long Length { get; }

    public Stream Open() => _open();

    public string Name => RelativePath[(RelativePath.LastIndexOf('/') + 1)..];
}

/// <summary>
/// What a technician dropped: one export file, or a ChemStation <c>.D</c> folder with the files in it.
/// Readers see only this (streams), never the file system.
/// </summary>
public sealed class ReadSource
{
    public ReadSource(string name, bool isFolder, IReadOnlyList<SourceFile> files)
    {
        Name = name;
        IsFolder = isFolder;
        Files = files;
    }

    public string Name { get; }

    public bool IsFolder { get; }

    public IReadOnlyList<SourceFile> Files { get; }

    public long TotalLength => Files.Sum(f => f.Length);

    /// <summary>A file on disk.</summary>
    public static ReadSource FromFile(string path)
    {
        var info = new FileInfo(path);
        return new ReadSource(info.Name, false, [new SourceFile(info.Name, info.Length, () => OpenRead(path))]);
    }

    /// <summary>A folder on disk (a <c>.D</c> folder): every file beneath it, in ordinal path order.</summary>
    public static ReadSource FromFolder(string path)
    {
        var root = new DirectoryInfo(path);
        var files = root.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None })
            .Select(f => new SourceFile(
                Path.GetRelativePath(root.FullName, f.FullName).Replace('\\', '/'),
                f.Length,
                () => OpenRead(f.FullName)))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
        return new ReadSource(root.Name, true, files);
    }

    public static ReadSource FromPath(string path) => Directory.Exists(path) ? FromFolder(path) : FromFile(path);

    /// <summary>Bytes in memory, for tests and tools.</summary>
    public static ReadSource FromBytes(string name, byte[] bytes) =>
        new(name, false, [new SourceFile(name, bytes.Length, () => new MemoryStream(bytes, writable: false))]);

    public SourceFile? Find(string fileName) =>
        Files.FirstOrDefault(f => string.Equals(f.Name, fileName, StringComparison.OrdinalIgnoreCase));

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
}
