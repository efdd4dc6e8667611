namespace LianApi.Complaints;

public static class ComplaintsExtensions
{
    /// <summary>Complaints, their handling by staff and the deadline sweep.</summary>
    public static IServiceCollection AddComplaints(this IServiceCollection services) => services
        .AddSingleton<ComplaintStore>()
        .AddSingleton<ComplaintIntake>()
        .AddSingleton<ResidentViewLinks>()
        .AddSingleton<StaffInboxStore>()
        .AddSingleton<IComplaintChangeListener, CaseTextListener>()
        .AddSingleton<DeadlineSweep>()
        .AddSingleton<LianApi.Photos.IPhotoAccess, ComplaintPhotoAccess>()
        .AddSingleton<LianApi.Photos.IPhotoCaseFlags, ComplaintPhotoFlags>()
        .AddHostedService<DeadlineSweepService>();
}
