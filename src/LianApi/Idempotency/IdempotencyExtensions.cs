namespace LianApi.Idempotency;

public static class IdempotencyExtensions
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyStore>().AddSingleton<IdempotentCreate>().AddHostedService<IdempotencyKeyPruner>();
        services.ConfigureSwaggerGen(o => o.OperationFilter<IdempotencyKeyOperationFilter>());
        return services;
    }
}
