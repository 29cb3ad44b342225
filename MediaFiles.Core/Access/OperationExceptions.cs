namespace MediaFiles.Core.Access;

/// <summary>The thing asked for does not exist, or the user may not know it exists.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The user may see the thing but not do this to it (e.g. edit after the window).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>The request itself is wrong; the message says how, for the user.</summary>
public sealed class ValidationException(string message) : Exception(message);
