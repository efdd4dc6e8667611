// A resident's and a staff member's flow, typed only by what openapi-typescript generates from api-spec/openapi.json.
// scripts/check-openapi-types compiles it with tsc --strict; it is never run. It compiles only while the spec says
// what the server sends: every @ts-expect-error below is an error the compiler must find.
import type { components, operations } from "./generated/lian-api";

type Schemas = components["schemas"];
type Json<Op extends keyof operations, Status extends keyof operations[Op]["responses"]> =
    operations[Op]["responses"][Status] extends { content: { "application/json": infer Body } } ? Body : never;
type Problem<Op extends keyof operations, Status extends keyof operations[Op]["responses"]> =
    operations[Op]["responses"][Status] extends { content: { "application/problem+json": infer Body } } ? Body : never;
type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;

type LoginResponse = Json<"WechatLogin", 200>;
type Detail = Json<"GetMyComplaint", 200>;
type Landing = Json<"GetCommunity", 200>;
type InboxPage = Json<"ListInbox", 200>;
type StaffDetail = Json<"StaffAccept", 200>;
type SubmitBody = Schemas["SubmitComplaintRequest"];
type Action = Schemas["AllowedAction"]["action"];
type ResolveBody = NonNullable<operations["StaffResolve"]["requestBody"]>["content"]["application/json"];

/** Each action's body is typed: resolve needs its reply. */
export function resolveBody(reply: string): ResolveBody {
    // @ts-expect-error resolve without reply does not compile
    const missing: ResolveBody = { note: "内部备注" };
    void missing;
    return { reply };
}

class ApiProblem extends Error {
    constructor(readonly status: number, readonly problem: Schemas["ProblemDetails"] | Schemas["HttpValidationProblemDetails"]) {
        super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    }
}

async function send<T>(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set("content-type", "application/json");
    if (init.token !== undefined) {
        headers.set("authorization", `Bearer ${init.token}`);
    }
    const response = await fetch(base + path, { ...init, headers });
    if (!response.ok) {
        throw new ApiProblem(response.status, (await response.json()) as Problem<"SubmitComplaint", 422>);
    }
    return (await response.json()) as T;
}

/** What the landing page shows: the map pin only when the community has a location. */
export function pin(landing: Landing): string {
    // @ts-expect-error location is nullable: using it unchecked does not compile
    const unchecked: number = landing.location.latitude;
    void unchecked;
    return landing.location === null ? landing.name : `${landing.name} @ ${landing.location.latitude},${landing.location.longitude}`;
}

/** A report without "anonymous": it is optional (the server takes false). */
export function newReport(communityCode: string, categoryCode: string, description: string): SubmitBody {
    return { communityCode, categoryCode, description };
}

export async function residentFlow(base: string, wxCode: string): Promise<string> {
    const login = await send<LoginResponse>(base, "/api/auth/wechat-login", { method: "POST", body: JSON.stringify({ code: wxCode }) });
    // @ts-expect-error staff is null for a resident: reading it unchecked does not compile
    const unit: string = login.user.staff.unit;
    void unit;
    const isStaff = login.user.staff !== null && login.user.roles.includes(login.user.staff.role);

    const report = newReport("gongyuanmen", "sanitation", "楼道灯坏了，晚上看不见台阶");
    const created = await send<Detail>(base, "/api/complaints", {
        method: "POST", token: login.accessToken, body: JSON.stringify(report), headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    const where = created.location === null ? "no location" : `${created.location.latitude},${created.location.longitude}`;
    const last = created.timeline.at(-1);
    const done: boolean = created.status === "resolved" || created.status === "closed";
    // @ts-expect-error status is a closed set: a value the server never sends does not compile
    const never: Detail["status"] = "in-progress";
    void never;
    return `${created.trackingNo} ${where} ${last?.kind ?? "none"} ${done} ${isStaff}`;
}

export async function staffFlow(base: string, token: string): Promise<StaffDetail | null> {
    const query: Query<"ListInbox"> = { sort: "urgent", status: "submitted", limit: 20 };
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const inbox = await send<InboxPage>(base, `/api/staff/complaints?${search}`, { token });
    const first = inbox.items[0];
    if (first === undefined || first.level === "department") {
        return null;
    }
    const action: Action = "accept";
    // @ts-expect-error the action is one of the documented verbs
    const unknown: Action = "approve";
    void unknown;
    try {
        return await send<StaffDetail>(base, `/api/staff/complaints/${first.trackingNo}/${action}`, {
            method: "POST", token, headers: { "If-Match": String(first.version) }, body: "{}",
        });
    } catch (e) {
        if (e instanceof ApiProblem && e.status === 409) {
            return null;
        }
        throw e;
    }
}
