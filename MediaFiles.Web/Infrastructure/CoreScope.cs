namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// Runs one Core operation in its own DI scope. A Blazor circuit lives for minutes and its events
/// can overlap; a DbContext per operation keeps them from sharing one context.
/// </summary>
public sealed class CoreScope(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<TService, T>(Func<TService, Task<T>> operation) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync<TService>(Func<TService, Task> operation) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
