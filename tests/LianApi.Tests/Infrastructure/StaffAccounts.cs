using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Staff;

namespace LianApi.Tests.Infrastructure;

/// <summary>Staff the way ops create them (a binding code) and the way staff start (WeChat login, then bind).</summary>
public static class StaffAccounts
{
    public static async Task<string> AddStaffCodeAsync(this LianApiFactory app, string role, string? unitCode, string name = "测试员", string? gridCode = null)
    {
        var level = StaffRoles.LevelOf(role);
        var unit = unitCode is null ? null : await app.Service<CommunityStore>().FindUnitAsync(level, unitCode, CancellationToken.None)
            ?? throw new InvalidOperationException($"No {level} '{unitCode}' to create staff for");
        var grid = gridCode is null ? null : await app.Service<CommunityStore>().FindGridAsync(gridCode, CancellationToken.None)
            ?? throw new InvalidOperationException($"No grid '{gridCode}' to create a grid worker for");
        var code = await app.Service<StaffStore>().AddAsync(
            new NewStaff(name, role, level, unit?.Id, unit?.Name ?? "区调度中心", grid?.Id), DateTime.UtcNow, CancellationToken.None);
        return code.Code;
    }

    /// <summary>A client logged in with WeChat as <paramref name="wechatCode"/> and bound to a new staff account (a grid worker with <paramref name="gridCode"/>).</summary>
    public static async Task<HttpClient> StaffAsync(this LianApiFactory app, string wechatCode, string role, string? unitCode, string? gridCode = null, string name = "测试员")
    {
        var bindingCode = await app.AddStaffCodeAsync(role, unitCode, name, gridCode);
        var client = await app.LoginAsync(wechatCode);
        var response = await client.PostAsJsonAsync("/api/staff/bind", new { bindingCode });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static Task AddGridsAsync(this LianApiFactory app, string communityCode, params (string Code, string Name)[] grids)
    {
        var community = app.Service<CommunityStore>().FindCommunityAsync(communityCode, CancellationToken.None).GetAwaiter().GetResult()!;
        return app.Service<CommunityStore>().UpsertGridsAsync(grids.Select(g => new GridUpsert(g.Code, community.Id, g.Name)).ToList(), CancellationToken.None);
    }

    public static async Task PairAsync(this LianApiFactory app, string departmentCode, string communityCode)
    {
        var org = app.Service<CommunityStore>();
        var department = (await org.DepartmentIdsByCodeAsync(CancellationToken.None))[departmentCode];
        var community = (await org.FindCommunityAsync(communityCode, CancellationToken.None))!;
        await org.AddPairingsAsync([new PairingUpsert(department, community.Id)], CancellationToken.None);
    }

    public static Task AddDepartmentsAsync(this LianApiFactory app, params (string Code, string Name)[] departments) =>
        app.Service<CommunityStore>().UpsertDepartmentsAsync(departments.Select(d => new DepartmentUpsert(d.Code, d.Name)).ToList(), CancellationToken.None);

    public static Task<HttpResponseMessage> ActAsync(this HttpClient staff, string trackingNo, string action, object? body = null) =>
        staff.PostAsJsonAsync($"/api/staff/complaints/{trackingNo}/{action}", body ?? new { });

    public static async Task<string> FileAsync(this HttpClient resident, string category = "property", string? phone = "13812345678")
    {
        var response = await resident.SubmitAsync(Requests.Complaint("小区电梯坏了三天，老人上下楼困难", category: category, phone: phone));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    public static async Task<string> StatusOfAsync(this HttpClient resident, string trackingNo) =>
        (await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}")).GetProperty("status").GetString()!;

    public static string[] Kinds(this JsonElement complaint) =>
        complaint.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();

    public static Complaint Case(this LianApiFactory app, string trackingNo) =>
        app.Service<ComplaintStore>().LoadAsync(trackingNo, CancellationToken.None).GetAwaiter().GetResult()!.Complaint;
}
