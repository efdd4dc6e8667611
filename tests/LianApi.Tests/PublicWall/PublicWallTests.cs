using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using LianApi.Open311;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Photos;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.PublicWall;

/// <summary>
/// The public read side on a fake clock: the wall (GET /api/public/cases) and Open311 GeoReport v2 show exactly the
/// consented, resolved cases that were not withdrawn, and no public answer carries the resident's phone, name,
/// address, coordinates or internal notes.
///   A  consented, with phone, address, coordinates and a number in its text; resolved with a photo and rated satisfied (closed).
///   B  not consented; resolved.
///   C  consented, resolved, then withdrawn by the dispatch center (unpublish).
///   D  consented, still open.
/// </summary>
public sealed class PublicWallTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private const string Phone = "13812345678";
    private const string PhoneInText = "13912345678";
    private const string Address = "贡院门12号3号楼2单元501室";
    private const double Latitude = 34.2611, Longitude = 108.9422;
    private const string InternalNote = "内部备注：居民情绪激动";

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient anonymous = null!;
    private HttpClient resident = null!;
    private HttpClient community = null!;
    private HttpClient dispatcher = null!;
    private string a = "", b = "", c = "", d = "";

    [OneTimeSetUp]
    public async Task FileResolveAndPublish()
    {
        clock = new FakeTimeProvider(Start);
        app = new LianApiFactory(new Dictionary<string, string?> { ["Jwt:StaffTokenLifetime"] = "1.00:00:00" }, configureServices: s => FakeClock.Use(s, clock));
        anonymous = app.CreateClient();
        resident = await app.LoginAsync("wall-resident");
        community = await app.StaffAsync("wall-community", "community", "gongyuanmen");
        dispatcher = await app.StaffAsync("wall-dispatcher", "dispatcher", null);

        a = await File(consent: true, $"楼道灯坏了三天，晚上看不见台阶，请打电话 {PhoneInText} 联系我");
        b = await File(consent: false, "垃圾桶满了没人清理，气味很大");
        c = await File(consent: true, "小区门口的路灯不亮已经一周了");
        d = await File(consent: true, "单元门禁坏了，陌生人随意进出");
        clock.Advance(TimeSpan.FromHours(1));
        var photo = await community.PostAsync("/api/photos", TestImages.Form(TestImages.Jpeg(64, 48)));
        Assert.That(photo.StatusCode, Is.EqualTo(HttpStatusCode.Created), await photo.Content.ReadAsStringAsync());
        var photoId = (await photo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        // Only a photo WeChat's image check passed is public (the emulator's verdict arrives on the real clock, this fixture's is fake).
        await app.Service<LianApi.Photos.PhotoStore>().SetModerationAsync(photoId!, LianApi.Photos.Moderation.Pass, CancellationToken.None);
        foreach (var no in new[] { a, b, c })
        {
            await Ok(community.ActAsync(no, "accept"));
            await Ok(community.ActAsync(no, "note", new { note = InternalNote }));
            await Ok(community.ActAsync(no, "resolve", no == a
                ? new { reply = "已更换楼道灯泡，如有问题请拨打 029-87654321", note = InternalNote, photoIds = new[] { photoId } }
                : (object)new { reply = "已处理", note = InternalNote }));
        }
        await Ok(resident.PostAsJsonAsync($"/api/complaints/{a}/evaluation", new { resolved = true, satisfaction = "satisfied", comment = "谢谢，我家在3号楼" }));
        await Ok(dispatcher.ActAsync(c, "unpublish", new { reason = "居民来电要求撤下" }));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        anonymous.Dispose();
        resident.Dispose();
        community.Dispose();
        dispatcher.Dispose();
        await app.DisposeAsync();
    }

    private async Task<string> File(bool consent, string description)
    {
        var response = await resident.SubmitAsync(new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation", description, address = Address, contactPhone = Phone,
            location = new { latitude = Latitude, longitude = Longitude }, publicConsent = consent,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    private static async Task Ok(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    private static readonly string[] Personal = [Phone, PhoneInText, "12345678", "3号楼", "2单元501", "34.2611", "108.9422", "内部备注", "情绪激动", "wall-resident", "87654321", "谢谢"];

    private static void AssertNoPersonalData(string body, string where) =>
        Assert.That(Personal.Where(p => body.Contains(p, StringComparison.Ordinal)), Is.Empty, $"{where} leaks: {body}");

    [Test]
    public async Task Wall_ShowsOnlyTheConsentedResolvedCase_WithoutPersonalData()
    {
        var response = await anonymous.GetAsync("/api/public/cases");
        var body = await response.Content.ReadAsStringAsync();
        var page = JsonDocument.Parse(body).RootElement;
        var items = page.GetProperty("items").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(items.Select(i => i.GetProperty("trackingNo").GetString()), Is.EqualTo(new[] { a }),
                "B has no consent, C was withdrawn, D is not resolved");
            var item = items[0];
            Assert.That(item.GetProperty("status").GetString(), Is.EqualTo("closed"));
            Assert.That(item.GetProperty("summary").GetString(), Does.StartWith("楼道灯坏了三天").And.Contain("***"));
            Assert.That(item.GetProperty("handledBy").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(item.GetProperty("reply").GetString(), Does.StartWith("已更换楼道灯泡"));
            Assert.That(item.GetProperty("rating").GetProperty("satisfaction").GetString(), Is.EqualTo("satisfied"));
            Assert.That(item.GetProperty("photos").GetArrayLength(), Is.EqualTo(1));
            Assert.That(item.GetProperty("community").GetProperty("code").GetString(), Is.EqualTo("gongyuanmen"));
            Assert.That(item.GetProperty("street").GetProperty("code").GetString(), Is.EqualTo("beiyuanmen"));
            Assert.That(item.TryGetProperty("address", out _) || item.TryGetProperty("contactPhone", out _), Is.False);
            AssertNoPersonalData(body, "the wall");
        });
        var photo = await anonymous.GetAsync(items[0].GetProperty("photos")[0].GetProperty("url").GetString());
        Assert.That(photo.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the resolution photo's signed link works without a token");
    }

    [Test]
    public async Task Wall_Filters_AndKeysetPages()
    {
        var byCategory = await anonymous.GetFromJsonAsync<JsonElement>("/api/public/cases?community=gongyuanmen&street=beiyuanmen&category=sanitation&limit=1");
        var otherCategory = await anonymous.GetFromJsonAsync<JsonElement>("/api/public/cases?category=water");
        var otherCommunity = await anonymous.GetFromJsonAsync<JsonElement>("/api/public/cases?community=daxingdonglu");
        var unknown = await anonymous.GetAsync("/api/public/cases?community=nowhere");
        var wrongStreet = await anonymous.GetAsync("/api/public/cases?community=gongyuanmen&street=zaoyuan");

        Assert.Multiple(async () =>
        {
            Assert.That(byCategory.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
            Assert.That(byCategory.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(otherCategory.GetProperty("items").GetArrayLength(), Is.EqualTo(0));
            Assert.That(otherCommunity.GetProperty("items").GetArrayLength(), Is.EqualTo(0));
            await ProblemAssert.IsProblem(unknown, HttpStatusCode.UnprocessableEntity);
            await ProblemAssert.IsProblem(wrongStreet, HttpStatusCode.UnprocessableEntity);
        });
    }

    [TestCase("", "", "", "", "")]
    [TestCase("?community=gongyuanmen", "community", "gongyuanmen", "", "")]
    [TestCase("?street=beiyuanmen", "street", "beiyuanmen", "", "")]
    [TestCase("?category=sanitation", "", "", "category", "sanitation")]
    [TestCase("?community=gongyuanmen&category=sanitation", "community", "gongyuanmen", "category", "sanitation")]
    [TestCase("?street=beiyuanmen&category=water", "street", "beiyuanmen", "category", "water")]
    public async Task WallCounts_AgreeWithTheStatistics_ForTheSameFilters(string wallQuery, string level, string code, string groupBy, string group)
    {
        var wall = (await anonymous.GetFromJsonAsync<JsonElement>("/api/public/cases" + wallQuery)).GetProperty("counts");
        var statsQuery = string.Join("&", new[] { level == "" ? null : $"level={level}&code={code}", groupBy == "" ? null : $"groupBy={groupBy}" }.OfType<string>());
        var stats = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats?" + statsQuery);
        var figures = group == "" ? stats.GetProperty("total")
            : stats.GetProperty("groups").EnumerateArray().FirstOrDefault(g => g.GetProperty("key").GetString() == group);

        Assert.Multiple(() =>
        {
            Assert.That(wall.GetProperty("from").GetString(), Is.EqualTo(stats.GetProperty("from").GetString()));
            Assert.That(wall.GetProperty("to").GetString(), Is.EqualTo(stats.GetProperty("to").GetString()));
            foreach (var measure in new[] { "received", "handled", "completionRate", "satisfactionRate" })
            {
                var expected = figures.ValueKind == JsonValueKind.Undefined ? (measure.EndsWith("Rate", StringComparison.Ordinal) ? "null" : "0")
                    : figures.GetProperty(measure).GetRawText();
                Assert.That(wall.GetProperty(measure).GetRawText(), Is.EqualTo(expected), measure);
            }
        });
        if (wallQuery == "")
        {
            Assert.That(wall.GetProperty("received").GetInt32(), Is.GreaterThanOrEqualTo(4), "every report counts, published or not");
        }
    }

    [Test]
    public async Task Open311_ShowsOnlyThePublicCase_InBothFormats_WithoutPersonalData()
    {
        var json = await anonymous.GetAsync("/open311/v2/requests.json");
        var xml = await anonymous.GetAsync("/open311/v2/requests.xml");
        var one = await anonymous.GetAsync($"/open311/v2/requests/{a}.json");
        var oneXml = await anonymous.GetAsync($"/open311/v2/requests/{a}.xml");
        var (jsonBody, xmlBody, oneBody, oneXmlBody) = (await json.Content.ReadAsStringAsync(), await xml.Content.ReadAsStringAsync(),
            await one.Content.ReadAsStringAsync(), await oneXml.Content.ReadAsStringAsync());
        var request = JsonDocument.Parse(jsonBody).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(json.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json; charset=utf-8"));
            Assert.That(xml.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/xml; charset=utf-8"));
            Assert.That(request.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()), Is.EqualTo(new[] { a }));
            Assert.That(XDocument.Parse(xmlBody).Root!.Elements("request").Select(r => r.Element("service_request_id")!.Value), Is.EqualTo(new[] { a }));
            var r = request[0];
            Assert.That(r.GetProperty("status").GetString(), Is.EqualTo("closed"));
            Assert.That(r.GetProperty("status_notes").GetString(), Is.EqualTo("已归档"));
            Assert.That(r.GetProperty("agency_responsible").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(r.GetProperty("service_notice").GetString(), Does.Contain("小时内响应"));
            Assert.That(r.GetProperty("requested_datetime").GetString(), Does.EndWith("+08:00"));
            Assert.That(r.GetProperty("address_id").GetString(), Is.EqualTo("gongyuanmen"));
            Assert.That(r.GetProperty("media_url").GetString(), Does.StartWith("http://").And.Contain("/api/photos/"));
            Assert.That(one.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(oneXml.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            foreach (var (body, where) in new[] { (jsonBody, "requests.json"), (xmlBody, "requests.xml"), (oneBody, "requests/{id}.json"), (oneXmlBody, "requests/{id}.xml") })
            {
                AssertNoPersonalData(body, where);
            }
        });
    }

    [Test]
    public async Task WithoutConsent_Withdrawn_OrOpen_TheCaseDoesNotExistInPublic()
    {
        foreach (var no in new[] { b, c, d })
        {
            var json = await anonymous.GetAsync($"/open311/v2/requests/{no}.json");
            var xml = await anonymous.GetAsync($"/open311/v2/requests/{no}.xml");
            var byId = await anonymous.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?service_request_id={no},{a}");
            Assert.Multiple(async () =>
            {
                Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), no);
                var error = (await json.Content.ReadFromJsonAsync<JsonElement>())[0];
                Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(404));
                Assert.That(error.GetProperty("description").GetString(), Is.Not.Empty);
                Assert.That(xml.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                var xmlError = XDocument.Parse(await xml.Content.ReadAsStringAsync()).Root!;
                Assert.That(xmlError.Name.LocalName, Is.EqualTo("errors"));
                Assert.That(xmlError.Element("error")!.Element("code")!.Value, Is.EqualTo("404"));
                Assert.That(byId.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()), Is.EqualTo(new[] { a }));
            });
        }
        var staffView = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{c}");
        Assert.Multiple(() =>
        {
            Assert.That(staffView.GetProperty("unpublished").GetBoolean(), Is.True);
            Assert.That(staffView.Kinds(), Does.Contain("unpublished"));
        });
        var mine = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{c}");
        Assert.That(mine.Kinds(), Does.Not.Contain("unpublished"), "the withdrawal and its reason are internal");
    }

    [Test]
    public async Task Unpublish_IsRefused_WithoutConsent_AndForAUnitNotHoldingTheCase()
    {
        var noConsent = await dispatcher.ActAsync(b, "unpublish", new { reason = "测试" });
        var otherCommunity = await app.StaffAsync("wall-other", "community", "daxingdonglu");
        var outside = await otherCommunity.ActAsync(a, "unpublish", new { reason = "测试" });
        Assert.Multiple(async () =>
        {
            await ProblemAssert.IsProblem(noConsent, HttpStatusCode.Conflict);
            await ProblemAssert.IsProblem(outside, HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task Open311Requests_Filters_EmptyArgumentsAreAbsent_AndRangesAreChecked()
    {
        async Task<string[]> Ids(string query) => (await anonymous.GetFromJsonAsync<JsonElement>("/open311/v2/requests.json" + query))
            .EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()!).ToArray();

        var tooLong = await anonymous.GetAsync("/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-12-01T00:00:00%2B08:00");
        var badStatus = await anonymous.GetAsync("/open311/v2/requests.xml?status=fixed");
        var badFormat = await anonymous.GetAsync("/open311/v2/requests.html");
        Assert.Multiple(async () =>
        {
            Assert.That(await Ids("?service_code=&status=&start_date=&end_date=&page=&page_size=&jurisdiction_id="), Is.EqualTo(new[] { a }));
            Assert.That(await Ids("?service_code=sanitation,water&status=open,closed"), Is.EqualTo(new[] { a }));
            Assert.That(await Ids("?service_code=water"), Is.Empty);
            Assert.That(await Ids("?status=open"), Is.Empty, "public cases are resolved: closed in Open311");
            Assert.That(await Ids("?start_date=2026-11-30T00:00:00%2B08:00&end_date=2026-12-01T23:59:59%2B08:00"), Is.EqualTo(new[] { a }));
            Assert.That(await Ids("?end_date=2026-11-30T00:00:00%2B08:00"), Is.Empty);
            Assert.That(await Ids("?page=1&page_size=1"), Is.EqualTo(new[] { a }));
            Assert.That(await Ids("?page=2&page_size=1"), Is.Empty);
            Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await tooLong.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("code").GetInt32(), Is.EqualTo(400));
            Assert.That(badStatus.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(XDocument.Parse(await badStatus.Content.ReadAsStringAsync()).Root!.Name.LocalName, Is.EqualTo("errors"));
            Assert.That(badFormat.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Open311Post_WithoutAValidKey_Is403_WithAKey_FilesAReportTheDispatchCenterSees()
    {
        var (keyId, key) = await app.Service<Open311KeyStore>().AddAsync("西安市12345平台", clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        var form = new Dictionary<string, string>
        {
            ["service_code"] = "sanitation", ["address_id"] = "gongyuanmen", ["description"] = "合作方转来的诉求：小区垃圾无人清运",
            ["lat"] = "34.2611", ["long"] = "108.9422", ["phone"] = "13700001111", ["first_name"] = "三", ["last_name"] = "张",
        };
        var withoutKey = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));
        var wrongKey = await anonymous.PostAsync("/open311/v2/requests.xml", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = "o311_wrong" }));
        var created = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = key }));
        var createdBody = await created.Content.ReadFromJsonAsync<JsonElement>();
        // Ops imported the community's published location: lat/long then find it without an address_id.
        var org = app.Service<LianApi.Communities.CommunityStore>();
        var gongyuanmen = (await org.FindCommunityAsync("gongyuanmen", CancellationToken.None))!;
        await org.UpsertCommunitiesAsync([new LianApi.Communities.CommunityUpsert("gongyuanmen", gongyuanmen.StreetId, gongyuanmen.Name, gongyuanmen.Address, 34.2600, 108.9400)], CancellationToken.None);
        app.Service<LianApi.Communities.OrgDirectory>().Invalidate();
        var createdXml = await anonymous.PostAsync("/open311/v2/requests.xml",
            new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = key, ["address_id"] = "" }));
        var unknownService = await anonymous.PostAsync("/open311/v2/requests.json",
            new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = key, ["service_code"] = "potholes" }));
        await app.Service<Open311KeyStore>().RevokeAsync(keyId, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        var revoked = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = key }));

        var trackingNo = createdBody[0].GetProperty("service_request_id").GetString()!;
        var inbox = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?limit=50");
        var staffView = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        Assert.Multiple(async () =>
        {
            Assert.That(withoutKey.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await withoutKey.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("code").GetInt32(), Is.EqualTo(403));
            Assert.That(wrongKey.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(XDocument.Parse(await wrongKey.Content.ReadAsStringAsync()).Root!.Element("error")!.Element("code")!.Value, Is.EqualTo("403"));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(createdBody[0].GetProperty("service_notice").GetString(), Does.Contain("小时内响应"));
            Assert.That(createdXml.StatusCode, Is.EqualTo(HttpStatusCode.Created), "lat/long find the nearest community when address_id is empty");
            Assert.That(unknownService.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Does.Contain(trackingNo));
            Assert.That(staffView.GetProperty("channel").GetString(), Is.EqualTo("open311"));
            Assert.That(staffView.GetProperty("partner").GetString(), Is.EqualTo("西安市12345平台"));
            Assert.That(staffView.GetProperty("contentUnchecked").GetBoolean(), Is.True, "a partner's text waits for the dispatch center's review");
            Assert.That(staffView.GetProperty("contactPhone").GetString(), Is.EqualTo("137****1111"));
            Assert.That(staffView.GetProperty("publicConsent").GetBoolean(), Is.False);
        });
        var contact = await community.PostAsync($"/api/staff/complaints/{trackingNo}/contact", null);
        Assert.That((await contact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phone").GetString(), Is.EqualTo("13700001111"));
    }

    // The GeoReport v2 spec's published example responses (http://wiki.open311.org/GeoReport_v2, Service_Discovery), with
    // their values shortened: what is compared is the set of fields, in XML and in the spec's JSON mapping.
    private const string SpecDiscovery = """
        <?xml version="1.0" encoding="utf-8"?>
        <discovery><changeset>2011-04-05T17:48:34Z</changeset><contact>You can email or call for assistance api@example.org +1 (555) 555-5555</contact>
        <key_service>You can request a key here: http://api.example.org/api_key_request</key_service>
        <endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>http://open311.example.org/dev/v2</url>
        <changeset>2011-04-05T17:48:34Z</changeset><type>test</type><formats><format>text/xml</format><format>application/json</format></formats>
        </endpoint></endpoints></discovery>
        """;

    private const string SpecServices = """
        <?xml version="1.0" encoding="utf-8"?>
        <services><service><service_code>001</service_code><service_name>Cans left out 24x7</service_name><description>Cans left out.</description>
        <metadata>true</metadata><type>realtime</type><keywords>lorem, ipsum, dolor</keywords><group>sanitation</group></service></services>
        """;

    private const string SpecRequests = """
        <?xml version="1.0" encoding="utf-8"?>
        <service_requests><request><service_request_id>638344</service_request_id><status>closed</status><status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name><service_code>006</service_code><description></description><agency_responsible></agency_responsible>
        <service_notice></service_notice><requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime><updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime><address>8TH AVE and JUDAH ST</address><address_id>545483</address_id><zipcode>94122</zipcode>
        <lat>37.762221815</lat><long>-122.4651145</long><media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg</media_url></request></service_requests>
        """;

    private const string SpecPostResponse = """
        <?xml version="1.0" encoding="utf-8"?>
        <service_requests><request><service_request_id>293944</service_request_id><service_notice>The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code</service_notice><account_id/></request></service_requests>
        """;

    private const string SpecErrors = """
        <?xml version="1.0" encoding="utf-8"?>
        <errors><error><code>403</code><description>Invalid api_key received -- can't proceed with create_request.</description></error></errors>
        """;

    [TestCase("discovery", SpecDiscovery)]
    [TestCase("services", SpecServices)]
    [TestCase("requests", SpecRequests)]
    [TestCase("requests/{a}", SpecRequests)]
    [TestCase("requests/LH00000000-0000", SpecErrors)]
    public async Task Open311Answers_HaveTheFieldsOfTheSpecsExamples_InXmlAndJson(string path, string example)
    {
        var url = "/open311/v2/" + path.Replace("{a}", a, StringComparison.Ordinal);
        var xmlResponse = await anonymous.GetAsync(url + ".xml");
        var xmlText = await xmlResponse.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(await (await anonymous.GetAsync(url + ".json")).Content.ReadAsStringAsync()).RootElement;
        AssertSameFields(XDocument.Parse(example), xmlText, json);
    }

    [Test]
    public async Task Open311PostAnswer_HasTheFieldsOfTheSpecsExample()
    {
        var (_, key) = await app.Service<Open311KeyStore>().AddAsync("字段测试", clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        var form = new Dictionary<string, string> { ["api_key"] = key, ["service_code"] = "water", ["address_id"] = "gongyuanmen", ["description"] = "水管漏水，楼道积水" };
        var xml = await anonymous.PostAsync("/open311/v2/requests.xml", new FormUrlEncodedContent(form));
        var json = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));
        AssertSameFields(XDocument.Parse(SpecPostResponse), await xml.Content.ReadAsStringAsync(), JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement);
        var noKey = await anonymous.PostAsync("/open311/v2/requests.xml", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = "" }));
        var noKeyJson = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["api_key"] = "" }));
        AssertSameFields(XDocument.Parse(SpecErrors), await noKey.Content.ReadAsStringAsync(), JsonDocument.Parse(await noKeyJson.Content.ReadAsStringAsync()).RootElement);
    }

    /// <summary>Our XML has the example's element tree (names, nesting), the UTF-8 declaration and no namespace; our JSON is its mapping.</summary>
    private static void AssertSameFields(XDocument example, string xmlText, JsonElement json)
    {
        var ours = XDocument.Parse(xmlText);
        Assert.Multiple(() =>
        {
            Assert.That(xmlText, Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
            Assert.That(xmlText, Does.Not.Contain("xmlns"));
            Assert.That(ours.Root!.Name.LocalName, Is.EqualTo(example.Root!.Name.LocalName));
            Assert.That(Shape(ours.Root), Is.EqualTo(Shape(example.Root)), "the XML's fields");
            Assert.That(Shape(json, example.Root), Is.EqualTo(Shape(example.Root)), "the JSON's fields");
        });
    }

    // The set of element paths; the items of a list are one path (request/…), whatever their number.
    private static string[] Shape(XElement root) =>
        root.Descendants().Select(e => string.Join("/", e.AncestorsAndSelf().Reverse().Skip(1).Select(x => x.Name.LocalName))).Distinct().Order(StringComparer.Ordinal).ToArray();

    // The JSON mapping back to those paths: an array stands for a list element and its items (named as in the example).
    private static string[] Shape(JsonElement json, XElement example)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement value, XElement schema, string prefix)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    var item = schema.Elements().First();
                    var itemPath = prefix.Length == 0 ? item.Name.LocalName : $"{prefix}/{item.Name.LocalName}";
                    paths.Add(itemPath);
                    foreach (var element in value.EnumerateArray())
                    {
                        Walk(element, item, itemPath);
                    }
                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        var path = prefix.Length == 0 ? property.Name : $"{prefix}/{property.Name}";
                        paths.Add(path);
                        if (schema.Element(property.Name) is { } child)
                        {
                            Walk(property.Value, child, path);
                        }
                    }
                    break;
            }
        }
        Walk(json, example, "");
        return [.. paths];
    }
}
