namespace LianApi.Complaints;

/// <summary>Why a case ended: a rating closes it as evaluated, silence for 7 days as not_evaluated (never "satisfied").</summary>
public static class CloseReasons
{
    public const string Evaluated = "evaluated";
    public const string NotEvaluated = "not_evaluated";
    public const string Rejected = "rejected";
}
