using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Infrastructure;

namespace LianApi.PublicWall;

public sealed record PublicCasesQuery(
    [property: Description("Only cases of this community (code from the QR code)"), CharacterLength(32, ErrorMessage = ValidationMessages.CommunityCode), PlainText] string? Community,
    [property: Description("Only cases of this street office's communities (street code)"), CharacterLength(32, ErrorMessage = ValidationMessages.StreetCode), PlainText] string? Street,
    [property: Description("Only cases of this category (code from GET /api/categories)"), CharacterLength(32, ErrorMessage = ValidationMessages.CategoryCode), PlainText] string? Category,
    [property: Description("Page size, 1–50 (default 20)"), Range(1, PublicWallApi.MaxPageSize, ErrorMessage = ValidationMessages.PageSize)] int? Limit,
    [property: Description("The nextCursor of the previous page"), RegularExpression("^[0-9]{1,19}$", ErrorMessage = ValidationMessages.Cursor)] string? Cursor);
