namespace LianApi.Complaints;

public static class ComplaintsExtensions
{
    /// <summary>Complaints, their handling by staff and the deadline sweep.</summary>
    public static IServiceCollection AddComplaints(this IServiceCollection services) => services
        .AddOptions<CallBackOptions>().BindConfiguration(CallBackOptions.Section).ValidateDataAnnotations().ValidateOnStart().Services
        .AddSingleton<ComplaintStore>()
        .AddSingleton<ComplaintIntake>()
        .AddSingleton<StaffInboxStore>()
        .AddSingleton<CallBackQueue>()
        .AddSingleton<DeadlineSweep>()
        .AddSingleton<LianApi.Photos.IPhotoAccess, ComplaintPhotoAccess>()
        .AddSingleton<LianApi.Photos.IPhotoCaseFlags, ComplaintPhotoFlags>()
        .AddHostedService<DeadlineSweepService>();
}
