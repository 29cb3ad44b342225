using Microsoft.EntityFrameworkCore.Design;

namespace MediaFiles.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the web app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MediaFilesDbContext>
{
    public MediaFilesDbContext CreateDbContext(string[] args) => MediaFilesDatabase.CreateContext("Data Source=design-time.db");
}
