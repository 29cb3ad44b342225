using MediaFiles.Core.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace MediaFiles.Web.Auth;

/// <summary>The signed-in user inside a Blazor circuit.</summary>
public sealed class CurrentUserAccessor(AuthenticationStateProvider authState)
{
    public async Task<CurrentUser> GetAsync()
    {
        var state = await authState.GetAuthenticationStateAsync();
        return MediaFilesClaims.ToCurrentUser(state.User)
            ?? throw new InvalidOperationException("No signed-in user in this circuit.");
    }
}
