using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Background;
using MediaFiles.Core.Data;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Core.Video;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The Core services: database, store, pipeline, access rules, bus.</summary>
    public static IServiceCollection AddMediaFilesCore(this IServiceCollection services, string connectionString)
    {
        services.AddOptions<MediaFilesOptions>().BindConfiguration(MediaFilesOptions.SectionName)
            // The binder adds a configured array to the default one; a configured codec list replaces it.
            .PostConfigure<IConfiguration>((o, configuration) =>
            {
                if (configuration.GetSection($"{MediaFilesOptions.SectionName}:Videos:Codecs").Get<string[]>() is { Length: > 0 } codecs)
                    o.Videos.Codecs = codecs;
            })
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MediaFilesOptions>, MediaFilesOptionsCheck>();
        // The scoped context for requests and jobs, and a factory for work that needs a context of its own
        // (the progress writer). The options are a singleton so the singleton factory can use them.
        services.AddDbContext<MediaFilesDbContext>(o => o.UseMediaFilesDatabase(connectionString),
            contextLifetime: ServiceLifetime.Scoped, optionsLifetime: ServiceLifetime.Singleton);
        services.AddDbContextFactory<MediaFilesDbContext>(o => o.UseMediaFilesDatabase(connectionString));
        services.AddSingleton(typeof(WorkSignal<>));
        services.AddSingleton<ProgressWriter>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WardClock>();
        services.AddSingleton<IMediaStore, LocalMediaStore>();
        services.AddSingleton<IMediaEventBus, InProcessMediaEventBus>();
        services.AddScoped<AccessPolicy>();
        services.AddScoped<MediaAccess>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditQuery>();
        services.TryAddScoped<IAuditContext, NoAuditContext>();
        services.AddScoped<MediaReferences>();
        services.AddScoped<BlobRegistry>();
        services.AddScoped<ImageIngestPipeline>();
        services.AddScoped<VideoIngestPipeline>();
        services.AddScoped<MediaIngest>();
        services.AddScoped<UploadService>();
        services.AddSingleton<Ffmpeg>();
        services.AddSingleton<Imaging.DerivedFiles>();
        services.AddScoped<TranscodeQueue>();
        services.AddScoped<VideoClipService>();
        services.AddScoped<StagedUploadSweeper>();
        services.AddScoped<StagedUploadService>();
        services.AddScoped<IntegrityScanner>();
        services.AddScoped<PatientDirectory>();
        services.AddScoped<TimelineQuery>();
        services.AddScoped<SingleMediaEvents>();
        services.AddScoped<PhotoService>();
        services.AddScoped<PhotoSeriesService>();
        services.AddScoped<SeriesQuery>();
        services.AddScoped<Admin.DashboardQuery>();
        services.AddScoped<Trash.DeletedEvents>();
        services.AddScoped<Review.ReviewService>();
        services.AddScoped<Review.ReviewFeedQuery>();
        services.AddScoped<Maintenance.MaintenanceJobs>();
        services.AddScoped<Maintenance.MaintenanceRunner>();
        services.AddScoped<Maintenance.VariantRegenerator>();
        return services;
    }
}
