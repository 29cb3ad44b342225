using System.Linq.Expressions;
using MediaFiles.Core.Domain;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Access;

/// <summary>
/// Every rule of who may do what, in one place (docs/security.md). Pages, endpoints and the API
/// all ask here; queries filter with <see cref="VisiblePatients"/>, the same rule as <see cref="CanView"/>.
/// </summary>
public sealed class AccessPolicy(IOptions<MediaFilesOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Who sees which patient: anyone on the patient's current ward; and, for outpatients and
    /// discharged patients (no current bed), anyone on a ward of the same hospital.
    /// </summary>
    public Expression<Func<Patient, bool>> VisiblePatients(CurrentUser user)
    {
        var wards = user.WardIds.ToList();
        var hospitals = user.Hospitals.ToList();
        return p => wards.Contains(p.WardId)
            || ((p.Status == PatientStatus.Outpatient || p.Status == PatientStatus.Discharged) && hospitals.Contains(p.Ward!.Hospital));
    }

    /// <summary>The in-memory form of <see cref="VisiblePatients"/>; the patient's Ward must be loaded for the hospital rule.</summary>
    public bool CanView(CurrentUser user, Patient patient) =>
        user.WardIds.Contains(patient.WardId)
        || (patient.Status is PatientStatus.Outpatient or PatientStatus.Discharged && patient.Ward is { } ward && user.Hospitals.Contains(ward.Hospital));

    /// <summary>Ward staff and admins upload; reviewers only look.</summary>
    public bool CanUpload(CurrentUser user) => user.IsInRole(Roles.WardStaff) || user.IsInRole(Roles.Admin);

    /// <summary>Marking media reviewed or flagged: reviewers and admins.</summary>
    public bool CanReview(CurrentUser user) => user.IsInRole(Roles.Reviewer) || user.IsInRole(Roles.Admin);

    /// <summary>Answering a reviewer's flag: ward staff and admins who can see the patient.</summary>
    public bool CanReplyToFlag(CurrentUser user, Patient patient) => CanUpload(user) && CanView(user, patient);

    /// <summary>Resolving a flag: whoever may answer it, and reviewers who can see the patient.</summary>
    public bool CanResolveFlag(CurrentUser user, Patient patient) => (CanUpload(user) || CanReview(user)) && CanView(user, patient);

    /// <summary>Adding media to a patient, and reordering a series: an uploader who can see the patient.</summary>
    public bool CanAddMedia(CurrentUser user, Patient patient) => CanUpload(user) && CanView(user, patient);

    /// <summary>Editing or deleting an event: its creator within the edit window, or an admin at any time.</summary>
    public bool CanEdit(CurrentUser user, Event evt) => WhyNotEdit(user, evt) is null;

    /// <summary>Null when the user may edit the event; otherwise the message saying why not.</summary>
    public string? WhyNotEdit(CurrentUser user, Event evt, string noun = "entry", string? plural = null)
    {
        if (user.IsInRole(Roles.Admin)) return null;
        if (evt.CreatedById != user.Id) return $"Only the person who added this {noun} (or an admin) can change it.";
        if (clock.GetUtcNow().UtcDateTime - evt.CreatedAt > options.Value.EditWindow)
            return $"{char.ToUpperInvariant(noun[0])}{(plural ?? noun + "s")[1..]} can be changed for {options.Value.EditWindow.TotalHours:0} hours after they are added; this one is locked.";
        return null;
    }

    public DateTime EditableUntil(Event evt) => evt.CreatedAt + options.Value.EditWindow;

    /// <summary>
    /// Null when the user may bring a deleted event back; otherwise why not. An admin restores within
    /// the retention; the person who deleted it may undo that within the undo window
    /// (<see cref="MediaFilesOptions.UndoWindow"/>); nobody else.
    /// </summary>
    public string? WhyNotRestore(CurrentUser user, Event evt)
    {
        var o = options.Value;
        var since = clock.GetUtcNow().UtcDateTime - (evt.DeletedAt ?? DateTime.MinValue);
        if (user.IsInRole(Roles.Admin))
            return since < o.DeletedRetention ? null
                : $"Deleted entries can be restored for {o.DeletedRetention.TotalDays:0} days; this one is past that and waits for the purge.";
        if (evt.DeletedById != user.Id) return "Only an admin can see and restore deleted entries.";
        return since <= o.UndoWindow ? null
            : $"Too late to undo: an admin can restore it from Deleted items for {o.DeletedRetention.TotalDays:0} days.";
    }

    /// <summary>Whether this restore is the deleter's own undo (not an admin's restore from the trash).</summary>
    public bool IsUndo(CurrentUser user, Event evt) =>
        evt.DeletedById == user.Id && clock.GetUtcNow().UtcDateTime - (evt.DeletedAt ?? DateTime.MinValue) <= options.Value.UndoWindow;
}
