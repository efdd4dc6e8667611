using LianApi.Auth;

namespace LianApi.Staff;

public static class StaffExtensions
{
    public static IServiceCollection AddStaff(this IServiceCollection services) => services
        .AddActiveStaffPolicy()
        .AddSingleton<StaffStore>()
        .AddSingleton<IStaffRoles, StaffRolesFromStore>();

    private sealed class StaffRolesFromStore(StaffStore store) : IStaffRoles
    {
        public async Task<LoginStaff?> FindActiveAsync(long userId, CancellationToken ct) =>
            (await store.FindActiveByUserAsync(userId, ct))?.AsLoginStaff();
    }
}
