namespace LianApi.Complaints;

/// <summary>One meaning of dueAt for residents and staff, said once.</summary>
public static class DueAtText
{
    public const string Description =
        "The deadline running now, for the unit that holds the case: to accept it while it waits to be accepted (staff status submitted), " +
        "to resolve it while it is handled (accepted, in_progress); null once resolved, closed or rejected. The same in the resident's and the staff's views.";
}

/// <summary>Which staff text a resident reads is decided by the field, never by the action: said once for the spec.</summary>
public static class NoteText
{
    public const string Resident =
        "The step's public text: a staff reply or resolution text (the request's reply), a rejection's reason, the resident's own " +
        "evaluation comment, or a system message (转至北院门街道). Never staff-internal text: a request's note (and escalation, return " +
        "and extension reasons) stays internal whatever the action.";

    public const string Staff =
        "The step's text. Residents see it only when isPublic is true, which is the case only for reply and resolve texts (the request's " +
        "reply), a rejection's reason and system messages; notes and escalation, return and extension reasons are internal.";
}

/// <summary>The resident status model, said once for the spec (see <see cref="ResidentStatus"/>).</summary>
public static class ResidentStatusText
{
    public const string Status =
        "submitted | accepted | in_progress | resolved | closed | rejected, as the resident sees it: within one round of handling it never " +
        "goes back. A case accepted and then passed on (escalated 上报, dispatched 派单, returned to the dispatch center) stays accepted or " +
        "in_progress while the next unit signs for it; a new round starts only when the resident sends a resolved case back (发回重办). " +
        "Staff views carry the real status.";

    public const string Label =
        "The status in Chinese; while the case waits for a unit other than the resident's community to accept it, also where it went: " +
        "已受理 · 上报街道, 待受理 · 上报区调度中心, 处理中 · 转派部门";

    public const string HandledBy = "The unit holding the case now; once resolved, closed or rejected, the unit that handled it last";
}

/// <summary>The two content-safety flags, said once for the spec.</summary>
public static class ContentFlagText
{
    public const string Review =
        "WeChat's content check asked for a human review of the resident's text (suggest = review), or found one of the case's photos " +
        "to need review or to be risky (a risky photo is shown to the dispatch center only): the dispatch center looks at it; " +
        "the timeline's content_checked step has WeChat's label and trace_id; the content-reviewed action clears it";

    public const string Unchecked =
        "WeChat could not check the resident's text (unavailable, timed out, or the resident had not opened the mini-program within 2 hours), " +
        "or one of the case's photos got no verdict from WeChat's image check within an hour of its upload: the report was accepted and " +
        "waits for a person to look at its text or photo; the content-reviewed action clears it";
}
