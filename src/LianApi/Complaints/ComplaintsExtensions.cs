namespace LianApi.Complaints;

public static class ComplaintsExtensions
{
    /// <summary>Complaints, their handling by staff and the deadline sweep.</summary>
    public static IServiceCollection AddComplaints(this IServiceCollection services)
    {
        // Each staff action's request body in the spec, cut from the machine's declaration of its fields.
        services.ConfigureSwaggerGen(o =>
        {
            o.OperationFilter<StaffActionBodies>();
            o.DocumentFilter<StaffActionBodies>();
        });
        return services
            .AddOptions<CallBackOptions>().BindConfiguration(CallBackOptions.Section).ValidateDataAnnotations().ValidateOnStart().Services
            .AddSingleton<ComplaintStore>()
            .AddSingleton<ComplaintIntake>()
            .AddSingleton<ResidentViewLinks>()
            .AddSingleton<StaffInboxStore>()
            .AddSingleton<IComplaintChangeListener, CaseTextListener>()
            .AddSingleton<CallBackQueue>()
            .AddSingleton<DeadlineSweep>()
            .AddSingleton<LianApi.Photos.IPhotoAccess, ComplaintPhotoAccess>()
            .AddSingleton<LianApi.Photos.IPhotoCaseFlags, ComplaintPhotoFlags>()
            .AddHostedService<DeadlineSweepService>();
    }
}
