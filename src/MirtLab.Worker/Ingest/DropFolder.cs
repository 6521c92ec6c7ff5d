namespace MirtLab.Worker.Ingest;

/// <summary>
/// File-system operations of the drop-folder lifecycle: listing inbox entries, checking that an entry can
/// be opened exclusively, and moving entries between inbox, work, archive and quarantine. Never deletes an
/// input: a move across volumes copies, verifies the copy, and only then removes the source.
/// </summary>
public static class DropFolder
{
    /// <summary>Inside a work folder: where an entry is while it is being claimed (hidden from scans by its dot).</summary>
    public const string ClaimingFolder = ".claiming";

    private const string CopyingSuffix = ".copying";

    private const string RemovingSuffix = ".removing.tmp";

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

    /// <summary>Whether a file or a folder (a ChemStation <c>.D</c>) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>
    /// The symbolic links (or other reparse points) an entry is or holds, each as <c>path → target</c>; empty for plain
    /// files and folders. MirtLab never reads through a link: it could point at any file the service account can read.
    /// </summary>
    public static IReadOnlyList<string> Links(string path)
    {
        var links = new List<string>();
        var entry = Directory.Exists(path) ? (FileSystemInfo)new DirectoryInfo(path) : new FileInfo(path);
        if (entry.LinkTarget is not null || entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            links.Add($"{entry.Name} → {entry.LinkTarget}");
        }
        else if (entry is DirectoryInfo folder)
        {
            var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            links.AddRange(folder.EnumerateFileSystemInfos("*", everything)
                .Where(e => e.LinkTarget is not null || e.Attributes.HasFlag(FileAttributes.ReparsePoint))
                .Select(e => $"{Path.GetRelativePath(path, e.FullName)} → {e.LinkTarget}"));
        }

        return links;
    }

    /// <summary>
    /// Moves a file or folder, creating the target's parent; across volumes a folder is copied, verified and then
    /// removed. A symbolic link is moved as the link (re-created at the target, then the old one removed), never by
    /// copying what it points to.
    /// </summary>
    public static void Move(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (LinkTarget(source) is { } link)
        {
            CreateLink(target, link, Directory.Exists(source));
            RemoveLink(source);
            return;
        }

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
            var staging = target + CopyingSuffix;
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            CopyFolder(source, staging);
            Directory.Move(staging, target);

            // Out of the scan's sight before it is removed: a crash half-way through removing it must not leave a
            // thinned-out folder that looks like a new export.
            var removing = source + RemovingSuffix;
            Directory.Move(source, removing);
            Directory.Delete(removing, recursive: true);
        }
    }

    /// <summary>
    /// Claims an inbox entry into <paramref name="workFolder"/> and returns its work path. The entry first goes to
    /// <c>.claiming/</c> (which no scan looks into): from another volume that is a copy, and a crash during it leaves
    /// the original in the inbox and at most a partial copy there, never a partial file in work. Then one rename puts
    /// it in work. <see cref="RecoverClaims"/> settles what a crash left in <c>.claiming/</c>.
    /// </summary>
    public static string Claim(string entry, string workFolder)
    {
        var name = Path.GetFileName(entry);
        var staging = Path.Combine(workFolder, ClaimingFolder, name);
        if (Exists(staging))
        {
            // A copy left by a crash while the original is still here: the original is claimed again.
            DiscardCopy(staging);
        }

        Move(entry, staging);
        var workPath = FreePath(workFolder, name);
        Move(staging, workPath);
        RemoveIfEmpty(Path.GetDirectoryName(staging)!);
        return workPath;
    }

    private static void RemoveIfEmpty(string folder)
    {
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }

    /// <summary>
    /// After a crash during a claim: a copy in <c>.claiming/</c> whose original is still in the inbox is discarded (the
    /// original is claimed again); one whose original is gone is complete and is moved into work, to be read.
    /// Returns what was done, for the log.
    /// </summary>
    public static IReadOnlyList<string> RecoverClaims(string inbox, string workFolder)
    {
        var done = new List<string>();
        var claiming = Path.Combine(workFolder, ClaimingFolder);
        if (!Directory.Exists(claiming))
        {
            return done;
        }

        foreach (var staged in Directory.EnumerateFileSystemEntries(claiming).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(staged);
            var original = Path.Combine(inbox, name.EndsWith(CopyingSuffix, StringComparison.Ordinal) ? name[..^CopyingSuffix.Length] : name);
            if (Exists(original) && IsCopyOf(staged, original))
            {
                DiscardCopy(staged);
                done.Add($"discarded the interrupted copy of {name} (the original is still in the inbox)");
            }
            else if (!name.EndsWith(CopyingSuffix, StringComparison.Ordinal))
            {
                var workPath = FreePath(workFolder, name);
                Move(staged, workPath);
                done.Add($"finished the claim of {name} into {workPath}");
            }
        }

        RemoveIfEmpty(claiming);
        return done;
    }

    /// <summary>Whether <paramref name="copy"/> is (a start of) <paramref name="original"/>: a file whose bytes begin the original's, or any folder copy of a folder.</summary>
    private static bool IsCopyOf(string copy, string original)
    {
        if (Directory.Exists(copy) || Directory.Exists(original))
        {
            return Directory.Exists(copy) && Directory.Exists(original);
        }

        using var a = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var b = new FileStream(original, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (a.Length > b.Length)
        {
            return false;
        }

        var x = new byte[81920];
        var y = new byte[81920];
        int read;
        while ((read = a.Read(x)) > 0)
        {
            b.ReadExactly(y.AsSpan(0, read));
            if (!x.AsSpan(0, read).SequenceEqual(y.AsSpan(0, read)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes MirtLab's own copy of an input whose original is still in the inbox; never an input itself.</summary>
    private static void DiscardCopy(string path)
    {
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
            return;
        }

#pragma warning disable RS0030 // A copy (or link) in .claiming/ whose original is still in the inbox, not an input.
        File.Delete(path);
#pragma warning restore RS0030
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

    private static string? LinkTarget(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).LinkTarget : new FileInfo(path).LinkTarget;

    /// <summary>Removes a symbolic link that was re-created elsewhere: the link itself, never what it points to.</summary>
    private static void RemoveLink(string path)
    {
        if (new FileInfo(path).LinkTarget is null)
        {
            throw new IOException($"'{path}' is not a symbolic link; it is kept");
        }

#pragma warning disable RS0030 // The one deletion allowed here: a link already re-created at its new place, not an input's content.
        File.Delete(path);
#pragma warning restore RS0030
    }

    private static void CreateLink(string path, string linkTarget, bool toFolder)
    {
        if (toFolder)
        {
            Directory.CreateSymbolicLink(path, linkTarget);
        }
        else
        {
            File.CreateSymbolicLink(path, linkTarget);
        }
    }

    private static void CopyFolder(string source, string target)
    {
        // Links are copied as links, and nothing is copied from beneath a linked folder.
        var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var links = new DirectoryInfo(source).EnumerateFileSystemInfos("*", everything).Where(e => e.LinkTarget is not null).ToList();
        foreach (var link in links)
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, link.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            CreateLink(destination, link.LinkTarget!, link is DirectoryInfo);
        }

        var linked = links.Select(l => l.FullName + Path.DirectorySeparatorChar).ToList();
        foreach (var file in new DirectoryInfo(source).EnumerateFiles("*", everything)
                     .Where(f => f.LinkTarget is null && !linked.Any(l => f.FullName.StartsWith(l, StringComparison.Ordinal)))
                     .Select(f => f.FullName))
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
