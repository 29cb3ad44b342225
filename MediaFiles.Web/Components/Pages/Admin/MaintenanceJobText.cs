using MediaFiles.Core.Domain;
using MediaFiles.Core.Maintenance;
using MudBlazor;

namespace MediaFiles.Web.Components.Pages.Admin;

/// <summary>How a maintenance job's state and duration read on the page.</summary>
public static class MaintenanceJobText
{
    public static string State(MaintenanceJobView job) => job.State switch
    {
        MaintenanceJobState.Queued => "Queued",
        MaintenanceJobState.Running => $"Running {job.Progress} %",
        MaintenanceJobState.Succeeded => "Done",
        MaintenanceJobState.Failed => "Failed",
        MaintenanceJobState.Interrupted => "Interrupted",
        _ => job.State.ToString(),
    };

    public static Color StateColor(MaintenanceJobState state) => state switch
    {
        MaintenanceJobState.Running => Color.Info,
        MaintenanceJobState.Succeeded => Color.Success,
        MaintenanceJobState.Failed => Color.Error,
        MaintenanceJobState.Interrupted => Color.Warning,
        _ => Color.Default,
    };

    public static string Duration(MaintenanceJobView job)
    {
        if (job.Duration is not { } d) return job.State == MaintenanceJobState.Running ? "running" : "—";
        return d.TotalSeconds < 60 ? $"{Math.Max(0, (int)d.TotalSeconds)} s"
            : d.TotalHours < 1 ? $"{(int)d.TotalMinutes} min {d.Seconds} s"
            : $"{(int)d.TotalHours} h {d.Minutes} min";
    }
}

/// <summary>The problems a finished job listed in its result, by kind of problem.</summary>
public static class MaintenanceJobProblems
{
    public sealed record Section(string Key, string Title, string Explanation, int Count, IReadOnlyList<string> Entries);

    /// <summary>The sections of a succeeded job's result, or null when it listed no problem.</summary>
    public static IReadOnlyList<Section>? Of(MaintenanceJobView job)
    {
        if (job.State != MaintenanceJobState.Succeeded) return null;
        IReadOnlyList<Section>? sections = job.Kind switch
        {
            MaintenanceJobKind.IntegrityScan when MaintenanceJson.Read<IntegrityScanResult>(job.ResultJson) is { } scan =>
            [
                new("missing", "Missing files", "Media ids whose original or a variant is not on disk.",
                    scan.MissingCount, (scan.MissingFiles ?? []).Select(id => id.ToString()).ToList()),
                new("mismatch", "Hash mismatches", "Media ids whose original no longer has the SHA-256 it was stored with.",
                    scan.MismatchCount, (scan.HashMismatches ?? []).Select(id => id.ToString()).ToList()),
                new("orphans", "Files without a record", "Paths under the media folder; the sweeper removes them.",
                    scan.OrphanCount, scan.Orphans ?? []),
            ],
            MaintenanceJobKind.RegenerateVariants when MaintenanceJson.Read<RegenerateResult>(job.ResultJson) is { } regenerated =>
            [
                new("failed", "Not regenerated", "Media ids whose original is missing or unreadable; their old variants are kept.",
                    regenerated.FailedCount, (regenerated.Failed ?? []).Select(id => id.ToString()).ToList()),
            ],
            _ => null,
        };
        return sections?.Any(s => s.Count > 0) == true ? sections : null;
    }
}
