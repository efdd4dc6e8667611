using System.ComponentModel.DataAnnotations;

namespace LianApi.Complaints;

/// <summary>The dispatch center's call-backs (回访).</summary>
public sealed class CallBackOptions
{
    public const string Section = "CallBacks";

    /// <summary>
    /// The share of rated cases, in percent, that the queue also offers for a check call (the resident's own rating
    /// stands; the answer is counted apart). Unrated cases are always in the queue.
    /// </summary>
    [Range(0, 100)] public int RatedSharePercent { get; set; } = 10;
}
