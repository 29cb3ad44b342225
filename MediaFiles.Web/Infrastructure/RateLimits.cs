using System.Globalization;
using System.Threading.RateLimiting;
using MediaFiles.Core;
using MediaFiles.Core.Audit;
using MediaFiles.Web.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// Per-user limits that a real ward never meets (a 20-photo series is far below them) but that stop
/// a script: uploads per hour and media reads per 10 minutes (MediaFiles:RateLimits). A refused
/// request gets 429 with Retry-After and an audit row.
/// </summary>
public static class RateLimits
{
    public const string Uploads = "uploads";
    public const string MediaReads = "media-reads";

    public static void AddMediaFilesRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Uploads, context => Partition(context, l => l.UploadsPerHour, TimeSpan.FromHours(1)));
            o.AddPolicy(MediaReads, context => Partition(context, l => l.MediaReadsPer10Minutes, TimeSpan.FromMinutes(10)));
            o.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<AuditLog>().WriteAsync(AuditActions.RateLimited,
                    MediaFilesClaims.ToCurrentUser(http.User)?.Id, false, details: http.Request.Path.StartsWithSegments("/api/uploads") ? Uploads : MediaReads, ct: ct);
                await http.Response.WriteAsJsonAsync(new
                {
                    title = "Too many requests",
                    status = 429,
                    detail = $"Too many requests in a short time. Try again in {Math.Ceiling(retryAfter.TotalMinutes)} minute(s).",
                }, ct);
            };
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitOptions, int> limit, TimeSpan window)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<MediaFilesOptions>>().Value.RateLimits;
        var user = MediaFilesClaims.ToCurrentUser(context.User)?.Id.ToString() ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous";
        return RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit(options),
            Window = window,
            QueueLimit = 0,
        });
    }
}
