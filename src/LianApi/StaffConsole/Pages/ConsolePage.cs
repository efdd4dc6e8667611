using LianApi.Staff;
using Microsoft.AspNetCore.Components;

namespace LianApi.StaffConsole.Pages;

/// <summary>A console page: the request it renders (static server rendering) and the staff member the session belongs to.</summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    /// <summary>Set by the console's scheme from the database, as the API's policy sets it: never from what the browser sends.</summary>
    protected StaffMember Staff => HttpContext.Features.Get<StaffMember>()
        ?? throw new InvalidOperationException("A console page was rendered without a staff session; it must require the console policy.");

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    protected bool IsPost => HttpMethods.IsPost(HttpContext.Request.Method);
}
