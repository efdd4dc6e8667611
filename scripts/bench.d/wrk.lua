-- wrk script shared by every scenario of scripts/bench. Configured through the environment so one file serves all:
--   BENCH_METHOD       GET (default) or POST
--   BENCH_BODY         request body (POST)
--   BENCH_TOKEN        bearer token, if the endpoint needs one
--   BENCH_IDEMPOTENCY  1 = send a fresh Idempotency-Key with every request (the app replays a reused key)
-- done() prints one machine-readable line, "BENCH key=value ...", which scripts/bench parses.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and #body > 0 then
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
end
local token = os.getenv("BENCH_TOKEN")
if token and #token > 0 then
   wrk.headers["Authorization"] = "Bearer " .. token
end
local fresh_keys = os.getenv("BENCH_IDEMPOTENCY") == "1"

-- Each wrk thread runs in its own Lua state: setup() (main state) numbers the threads and keeps them,
-- so done() can collect the per-thread status counters afterwards.
local threads = {}

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
   responses = 0
   counter = 0
   -- thread id + start time + random: keys stay unique across threads and across runs on the same database.
   math.randomseed(os.time() * 1000 + thread_id)
   key_prefix = string.format("bench-%d-%d-%x", thread_id, os.time(), math.random(0, 0x7fffffff))
end

-- Defined only when needed: without a request() function wrk sends one pre-built request, which costs it less CPU
-- (it shares the 2 cores with the servers).
if fresh_keys then
   function request()
      counter = counter + 1
      wrk.headers["Idempotency-Key"] = key_prefix .. "-" .. counter
      return wrk.format()
   end
end

-- Counting here, per response, rather than trusting wrk's "Non-2xx or 3xx" line, which also lets 3xx through.
function response(status, headers, body)
   responses = responses + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local non2xx_total, responses_total = 0, 0
   for _, t in ipairs(threads) do
      non2xx_total = non2xx_total + t:get("non2xx")
      responses_total = responses_total + t:get("responses")
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d responses=%d duration_s=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d timeouts=%d\n",
      summary.requests, responses_total, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      non2xx_total, e.connect + e.read + e.write, e.timeout))
end
