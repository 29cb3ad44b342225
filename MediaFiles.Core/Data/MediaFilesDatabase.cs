using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MediaFiles.Core.Data;

/// <summary>
/// The one place that chooses the database behind <see cref="MediaFilesDbContext"/>: every
/// registration (the scoped context, the context factory), the design-time factory of
/// <c>dotnet ef</c> and the tests configure it through here. SQLite today; another provider is
/// chosen here, by configuration, and nowhere else.
/// </summary>
public static class MediaFilesDatabase
{
    /// <summary>Points the context at the MediaFiles database named by <paramref name="connectionString"/>.</summary>
    public static DbContextOptionsBuilder UseMediaFilesDatabase(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString);

    /// <summary>
    /// A context outside dependency injection (design time, tests that add interceptors). The caller
    /// disposes it. Application code takes a <see cref="MediaFilesDbContext"/> or an
    /// <see cref="IDbContextFactory{TContext}"/> from DI instead.
    /// </summary>
    public static MediaFilesDbContext CreateContext(string connectionString, params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<MediaFilesDbContext>();
        options.UseMediaFilesDatabase(connectionString);
        if (interceptors.Length > 0) options.AddInterceptors(interceptors);
        return new MediaFilesDbContext(options.Options);
    }
}
