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

    [Inject]
    private NavigationManager Navigator { get; set; } = default!;

    protected bool IsPost => HttpMethods.IsPost(HttpContext.Request.Method);

    /// <summary>
    /// Answers with <paramref name="status"/> and this page (a 404 says "not found" in Chinese, a 400 shows the form with its
    /// errors): the API's problem+json from the status code pages is for programs, not for people at a browser.
    /// </summary>
    protected void RespondWith(int status)
    {
        if (status == StatusCodes.Status404NotFound)
        {
            // The framework's not-found rendering: a 404 with the Router's NotFoundPage (a page that set 404 itself gets no body).
            Navigator.NotFound();
            return;
        }
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
        HttpContext.Response.StatusCode = status;
    }
}
