using LianApi.ContentSafety;
using LianApi.Idempotency;
using LianApi.Infrastructure;
using Microsoft.Extensions.Options;

namespace LianApi.Complaints;

/// <summary>What a resident's report needs besides the request itself, bound as one parameter (eShop's CatalogServices).</summary>
public sealed record ResidentIntakeServices(
    ComplaintIntake Intake, ComplaintStore Complaints, IdempotentCreate Idempotency, ITextChecker Checker, ResidentViewLinks Links,
    IOptions<RateLimitOptions> Limits, ILogger<SubmitComplaintRequest> Logger);
