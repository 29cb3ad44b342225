using MediaFiles.Core;
using MediaFiles.Core.Data;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Endpoints;
using MediaFiles.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace MediaFiles.Web;

public static class Extensions
{
    public static void AddMediaFilesWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMediaFilesCore(SqliteConnectionString(builder));
        services.AddHostedService<SweeperService>();
        services.AddHostedService<QueueWorkerService<MediaFiles.Core.Video.TranscodeQueue>>();
        services.AddHostedService<QueueWorkerService<MediaFiles.Core.Maintenance.MaintenanceRunner>>();
        services.AddHealthChecks().AddCheck<FfmpegHealthCheck>("ffmpeg");

        builder.AddMediaFilesAuth();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.AddMediaFilesOpenApi();
        services.AddScoped<CoreScope>();
        services.AddScoped<CurrentUserAccessor>();
        services.AddScoped<Components.Media.DeleteConfirmation>();
        services.AddScoped<MediaFiles.Core.Audit.IAuditContext, HttpAuditContext>();
        services.AddMediaFilesRateLimits();
    }

    /// <summary>A relative SQLite path resolves against the content root, and its folder is created.</summary>
    private static string SqliteConnectionString(WebApplicationBuilder builder)
    {
        var raw = builder.Configuration.GetConnectionString("MediaFiles") ?? "Data Source=data/mediafiles.db";
        var csb = new SqliteConnectionStringBuilder(raw);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && !csb.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            csb.DataSource = Path.GetFullPath(csb.DataSource, builder.Environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        }
        return csb.ToString();
    }

    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        // Bad settings stop the start here, before the database is touched.
        _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MediaFiles.Core.MediaFilesOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>();
        await db.Database.MigrateAsync();
        // WAL lets readers (thumbnails, timeline) go on while an upload commits.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        if (app.Configuration.GetValue("MediaFiles:SeedDemoData", true))
            await DemoSeeder.SeedAsync(db);
        // Before any request: whatever a crash left in the store (temp files, files without a row) goes now.
        await scope.ServiceProvider.GetRequiredService<MediaFiles.Core.Ingest.StagedUploadSweeper>().SweepAsync(CancellationToken.None, atStartup: true);
    }

    public static void UseMediaFilesPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        var pageCsp = app.PageCspWithSignIn(PageCsp);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // File responses set their own, stricter policy (MediaApi.FileCsp); everything else gets the page policy.
            context.Response.OnStarting(() =>
            {
                if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = pageCsp;
                return Task.CompletedTask;
            });
            await next();
        });
        // An unknown page address gets the app's own not-found page, still with status 404; APIs and file
        // reads keep their plain status codes.
        app.UseWhen(context => !IsMachinePath(context.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseRouting(); // after the status code pages, so their re-execution is routed to the page
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets();
    }

    private static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/media") || path.StartsWithSegments("/openapi")
        || path.StartsWithSegments("/auth") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/_blazor");

    /// <summary>
    /// The pages' Content-Security-Policy: scripts only from this origin (no inline script, no eval —
    /// Blazor Server and MudBlazor need neither), the circuit's WebSocket, inline styles (MudBlazor sets
    /// style attributes), images and media from this origin or blob:, and no framing.
    /// </summary>
    public const string PageCsp =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void MapMediaFilesEndpoints(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapUploadApi();
        app.MapPhotoApi();
        app.MapSeriesApi();
        app.MapVideoApi();
        app.MapAuditApi();
        app.MapReviewApi();
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            }),
        });
        app.MapMediaApi();
        app.MapApiDescription();
    }
}
