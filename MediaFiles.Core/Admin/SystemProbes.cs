using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace MediaFiles.Core.Admin;

/// <summary>The machine-side figures of the dashboard's health card: file sizes, free disk, the ffmpeg build.</summary>
internal static partial class SystemProbes
{
    /// <summary>
    /// Bytes of the SQLite database file and its -wal journal (which holds recent commits until a
    /// checkpoint). Null for an in-memory or non-file database. A relative path is the one SQLite
    /// itself opens, against the process's working directory.
    /// </summary>
    public static long? DatabaseBytes(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var source = csb.DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" || csb.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return null;
        var path = Path.GetFullPath(source);
        if (!File.Exists(path)) return null;
        return Length(path) + Length(path + "-wal");
    }

    private static long Length(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Free bytes (for this user) and size of the volume holding <paramref name="path"/>; nulls when it cannot be read.</summary>
    public static (long? Free, long? Total) Disk(string? path)
    {
        if (string.IsNullOrEmpty(path)) return (null, null);
        try
        {
            // On Unix DriveInfo asks statvfs about the path itself, on Windows about its drive: either way, its volume.
            var drive = new DriveInfo(path);
            return (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// The version <c>ffmpeg -version</c> reports, or null when ffmpeg is not there or does not answer
    /// within <paramref name="timeout"/>. Run per call: an admin installing ffmpeg sees it on the next refresh.
    /// </summary>
    public static async Task<string?> FfmpegVersionAsync(string? folder, TimeSpan timeout, CancellationToken ct)
    {
        var path = string.IsNullOrEmpty(folder) ? "ffmpeg" : Path.Combine(folder, "ffmpeg");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        Process? process = null;
        try
        {
            process = Process.Start(new ProcessStartInfo(path, "-version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync(cts.Token);
            var errors = process.StandardError.ReadToEndAsync(cts.Token);
            await process.WaitForExitAsync(cts.Token);
            var text = await output;
            await errors;
            return process.ExitCode == 0 ? ParseFfmpegVersion(text) : null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
        finally
        {
            if (process is { HasExited: false })
            {
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }
            }
            process?.Dispose();
        }
    }

    /// <summary>"ffmpeg version 5.1.6-0+deb12u1 Copyright (c) …" → "5.1.6-0+deb12u1"; null when the text is not ffmpeg's.</summary>
    public static string? ParseFfmpegVersion(string? output)
    {
        if (string.IsNullOrEmpty(output)) return null;
        var match = VersionLine().Match(output);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^ffmpeg version (\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
