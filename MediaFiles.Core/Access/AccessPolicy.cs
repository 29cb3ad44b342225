using MediaFiles.Core.Domain;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Access;

/// <summary>Every rule of who may do what, in one place (docs/security.md).</summary>
public sealed class AccessPolicy(IOptions<MediaFilesOptions> options, TimeProvider clock)
{
    /// <summary>A user sees the patients of their own ward(s), and only those.</summary>
    public bool CanView(CurrentUser user, Patient patient) => user.WardIds.Contains(patient.WardId);

    /// <summary>Ward staff and reviewers add media to the patients they can see; admins only look.</summary>
    public bool CanAddMedia(CurrentUser user, Patient patient) =>
        CanView(user, patient) && (user.IsInRole(Roles.WardStaff) || user.IsInRole(Roles.Reviewer));

    public bool CanUpload(CurrentUser user) => user.IsInRole(Roles.WardStaff) || user.IsInRole(Roles.Reviewer);

    /// <summary>Only the creator edits or deletes an event, and only within the edit window.</summary>
    public bool CanEdit(CurrentUser user, Event evt) =>
        evt.CreatedById == user.Id && clock.GetUtcNow().UtcDateTime - evt.CreatedAt <= options.Value.EditWindow;

    public DateTime EditableUntil(Event evt) => evt.CreatedAt + options.Value.EditWindow;
}
