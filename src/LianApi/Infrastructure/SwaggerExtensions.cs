using Microsoft.OpenApi;

namespace LianApi.Infrastructure;

public static class SwaggerExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddLianSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "LianApi — @莲 民呼我行",
                Version = "v1",
                Description = "Backend of the @莲 mini-program of Lianhu District, Xi'an: residents scan their community's QR code, " +
                              "log in with WeChat, report problems and follow them. Every error is application/problem+json with a `code` " +
                              "(programs act on it; its `type` is the URL /problems/{code}) and a `detail` and field messages written for " +
                              "the person at the phone: Simplified Chinese by default, English when Accept-Language asks for en. " +
                              "Every time in a response is ISO 8601 with the Beijing offset and milliseconds (2026-12-02T11:57:20.339+08:00); " +
                              "a time sent without an offset (in a body or a query) is read as Beijing time.",
                License = new OpenApiLicense { Name = "Proprietary — Lianhu District, Xi'an", Identifier = "LicenseRef-Lianhu-Proprietary" },
            });
            // Relative: the API is wherever this document was fetched from (each environment has its own host).
            o.AddServer(new OpenApiServer { Url = "/", Description = "The host that serves this document" });
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The accessToken from POST /api/auth/wechat-login.",
            });
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired();
            o.CustomSchemaIds(t => t.Name);
            o.OperationFilter<AuthorizationOperationFilter>();
            o.OperationFilter<CamelCaseQueryOperationFilter>();
            o.OperationFilter<ResponseHeadersOperationFilter>();
            o.OperationFilter<RequiredFormFieldsOperationFilter>();
            o.SchemaFilter<EnumSchemaFilter>();
            o.SchemaFilter<ReferencePropertySchemaFilter>();
            o.SchemaFilter<ProblemSchemaFilter>();
            o.DocumentFilter<TagDescriptionsDocumentFilter>();
            o.DocumentFilter<RequiredPropertiesDocumentFilter>();
            o.DocumentFilter<ExamplesDocumentFilter>();
        });
        return services;
    }

    public static WebApplication UseLianSwagger(this WebApplication app)
    {
        // 3.1: schemas are JSON Schema 2020-12, so nullability is a type and the contract test validates with a standard validator.
        // Only requests under /swagger pass through its two middlewares: each matched every other request's path too.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), swagger =>
        {
            swagger.UseSwagger(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
            swagger.UseSwaggerUI(ui => ui.SwaggerEndpoint(DocumentPath, "LianApi v1"));
        });
        return app;
    }
}
