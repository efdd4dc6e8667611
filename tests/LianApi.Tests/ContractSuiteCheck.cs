using LianApi.Tests.Contract;

namespace LianApi.Tests;

/// <summary>
/// After the whole run: every answer any test's app gave (ContractRecorder, hooked into LianApiFactory) is checked
/// against api-spec/openapi.json, so each new test widens the contract check. A failure here fails the run.
/// Set LIANAPI_CONTRACT_REPORT=file to keep the report (operations and statuses covered) also when it passes.
/// </summary>
[SetUpFixture]
public sealed class ContractSuiteCheck
{
    [OneTimeTearDown]
    public void EveryAnswerOfTheRun_MatchesTheSpec()
    {
        var contract = OpenApiContract.Committed;
        var exchanges = ContractRecorder.All.ToList();
        var inSpec = exchanges.Select(e => (Exchange: e, Operation: contract.OperationOf(e))).Where(e => e.Operation is not null).ToList();
        var violations = inSpec.SelectMany(e => contract.Check(e.Exchange)).Distinct().ToList();
        var covered = inSpec.GroupBy(e => e.Operation!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"  {g.Key}: {string.Join(", ", g.Select(e => e.Exchange.Status).Distinct().Order())} ({g.Count()} answers)");
        var report = $"{violations.Count} answers differ from api-spec/openapi.json:\n{string.Join("\n", violations)}\n\n" +
                     $"{inSpec.Count} of {exchanges.Count} recorded answers belong to operations of the spec; statuses seen:\n{string.Join("\n", covered)}";
        if (Environment.GetEnvironmentVariable("LIANAPI_CONTRACT_REPORT") is { Length: > 0 } file)
        {
            File.WriteAllText(file, report);
        }
        Assert.That(violations, Is.Empty, report);
    }
}
