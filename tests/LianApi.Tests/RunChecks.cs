using LianApi.Tests.Contract;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests;

/// <summary>Checks over the whole run: in the root namespace, so they see every fixture's answers.</summary>
[SetUpFixture]
public sealed class RunChecks
{
    [OneTimeTearDown]
    public void EveryAnswerOfTheRun_FollowedTheTimePolicy()
    {
        TestContext.Progress.WriteLine($"Time policy: {TimestampAudit.Seen} times in the answers of this run checked.");
        Assert.That(TimestampAudit.Violations.Take(20), Is.Empty,
            $"{TimestampAudit.Violations.Count} time(s) in answers are not ISO 8601 with +08:00 and milliseconds (of {TimestampAudit.Seen} seen)");
    }

    [OneTimeTearDown]
    public void EveryProblemOfTheRun_SpokeTheClientsLanguageInOurOwnWords()
    {
        var audit = ProblemTextAudit.Check(ContractRecorder.All);
        TestContext.Progress.WriteLine($"Problem texts: {audit.Chinese} Chinese and {audit.English} English problem answers of this run checked.");
        Assert.That(audit.Violations.Take(30), Is.Empty, $"{audit.Violations.Count} problem answers break the message policy");
    }
}
