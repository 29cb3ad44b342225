using MediaFiles.Core.Audit;

namespace MediaFiles.Web.Infrastructure;

/// <summary>The client's address for audit rows written while serving an HTTP request.</summary>
public sealed class HttpAuditContext(IHttpContextAccessor accessor) : IAuditContext
{
    public string? ClientAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
