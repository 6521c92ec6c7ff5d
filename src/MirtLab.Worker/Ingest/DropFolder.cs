namespace MirtLab.Worker.Ingest;

/// <summary>
/// File-system operations of the drop-folder lifecycle: listing inbox entries, checking that an entry can
/// be opened exclusively, and moving entries between inbox, work, archive and quarantine. Never deletes an
/// input: a move across volumes copies, verifies the copy, and only then removes the source.
/// </summary>
public static class DropFolder
{
    private static readonly string[] TemporarySuffixes = [".tmp", ".part", ".partial", ".crdownload", ".filepart", ".temp", ".lock"];

    /// <summary>Snapshots of the inbox's top-level entries, skipping hidden and partial-transfer files.</summary>
    public static IEnumerable<EntrySnapshot> Snapshot(string inbox)
    {
        if (!Directory.Exists(inbox))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(inbox))
        {
            var name = Path.GetFileName(path);
            if (IsIgnored(name))
            {
                continue;
            }

            EntrySnapshot? snapshot;
            try
            {
                snapshot = Directory.Exists(path) ? SnapshotFolder(path) : SnapshotFile(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Vanished or locked between listing and looking: seen again at the next scan.
                snapshot = null;
            }

            if (snapshot is { } s)
            {
                yield return s;
            }
        }
    }

    public static bool IsIgnored(string name) =>
        name.StartsWith('.')
        || name.StartsWith("~$", StringComparison.Ordinal)
        || TemporarySuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when every file of the entry can be opened with no sharing (nobody is still writing it).</summary>
    public static bool CanOpenExclusively(string path)
    {
        try
        {
            var files = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [path];
            foreach (var file in files)
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Moves a file or folder, creating the target's parent; across volumes a folder is copied, verified and then removed.</summary>
    /// <summary>Whether a file or a folder (a ChemStation <c>.D</c>) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public static void Move(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(source))
        {
            File.Move(source, target, overwrite: false);
            return;
        }

        try
        {
            Directory.Move(source, target);
        }
        catch (IOException) when (Directory.Exists(source) && !Directory.Exists(target))
        {
            // Another volume (a UNC inbox): copy beside the target, verify, rename into place, then remove the source.
            var staging = target + ".copying";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            CopyFolder(source, staging);
            Directory.Move(staging, target);
            Directory.Delete(source, recursive: true);
        }
    }

    /// <summary>A path in <paramref name="folder"/> for <paramref name="name"/> that is not taken: <c>name</c>, then <c>name (2).ext</c>, …</summary>
    public static string FreePath(string folder, string name, params string[] alsoTaken)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 1; ; n++)
        {
            var candidate = Path.Combine(folder, n == 1 ? name : FormattableString.Invariant($"{stem} ({n}){extension}"));
            if (!File.Exists(candidate) && !Directory.Exists(candidate) && !alsoTaken.Any(suffix => File.Exists(candidate + suffix)))
            {
                return candidate;
            }
        }
    }

    /// <summary>Writes a small file atomically: a temporary file in the same folder, then a rename.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".writing.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static EntrySnapshot SnapshotFile(string path)
    {
        var info = new FileInfo(path);
        return new EntrySnapshot(path, false, info.Length, 1, info.LastWriteTimeUtc);
    }

    private static EntrySnapshot SnapshotFolder(string path)
    {
        long size = 0;
        var count = 0;
        var newest = Directory.GetLastWriteTimeUtc(path);
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            size += file.Length;
            count++;
            if (file.LastWriteTimeUtc > newest)
            {
                newest = file.LastWriteTimeUtc;
            }
        }

        return new EntrySnapshot(path, true, size, count, newest);
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: false);
            if (new FileInfo(destination).Length != new FileInfo(file).Length)
            {
                throw new IOException($"copying '{file}' to '{destination}' produced a different size; the source is kept");
            }
        }
    }
}
