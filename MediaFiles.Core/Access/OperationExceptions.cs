namespace MediaFiles.Core.Access;

/// <summary>
/// The Core refused an operation for a reason the user can be told: the message is written for
/// them (no paths, ids of other wards or stack traces). The UI shows it; the API maps it to a status.
/// </summary>
public abstract class RefusedException(string message) : Exception(message);

/// <summary>The thing asked for does not exist, or the user may not know it exists.</summary>
public sealed class NotFoundException(string message) : RefusedException(message);

/// <summary>The user may see the thing but not do this to it (e.g. edit after the window).</summary>
public sealed class ForbiddenException(string message) : RefusedException(message);

/// <summary>The request itself is wrong; the message says how, for the user.</summary>
public sealed class ValidationException(string message) : RefusedException(message);
