using MediaFiles.Core.Access;
using MediaFiles.Core.Series;
using MudBlazor;

namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// Runs one Core operation in its own DI scope. A Blazor circuit lives for minutes and its events
/// can overlap; a DbContext per operation keeps them from sharing one context. The Try… forms are
/// the components' one way to show a refusal (<see cref="RefusedException"/>): its message in a
/// snackbar, instead of a catch block per page.
/// </summary>
public sealed class CoreScope(IServiceScopeFactory scopes, ISnackbar snackbar)
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

    /// <summary>Runs an operation the Core may refuse. A refusal shows its message in a snackbar; returns whether the operation ran.</summary>
    public async Task<bool> TryRunAsync<TService>(Func<TService, Task> operation) where TService : notnull
    {
        try
        {
            await RunAsync(operation);
            return true;
        }
        catch (RefusedException refused)
        {
            Show(refused);
            return false;
        }
    }

    /// <summary>Runs an operation the Core may refuse. A refusal shows its message in a snackbar and gives null.</summary>
    public async Task<T?> TryRunAsync<TService, T>(Func<TService, Task<T>> operation) where TService : notnull where T : class
    {
        try
        {
            return await RunAsync(operation);
        }
        catch (RefusedException refused)
        {
            Show(refused);
            return null;
        }
    }

    /// <summary>Reads something that may be gone or hidden from this user: null instead of a <see cref="NotFoundException"/> (the page shows its empty state).</summary>
    public async Task<T?> FindAsync<TService, T>(Func<TService, Task<T>> read) where TService : notnull where T : class
    {
        try
        {
            return await RunAsync(read);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    // Someone else's newer change or a wrong input: the user can act on it. Anything else is a no.
    private void Show(RefusedException refused) =>
        snackbar.Add(refused.Message, refused is StaleSeriesException or ValidationException ? Severity.Warning : Severity.Error);
}
