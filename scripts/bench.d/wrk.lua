-- wrk script shared by every scenario of scripts/bench. Configured through the environment so one file serves all:
--   BENCH_METHOD       GET (default) or POST
--   BENCH_BODY         request body (POST)
--   BENCH_TOKEN        bearer token, if the endpoint needs one
--   BENCH_TOKEN_FILE   a file of bearer tokens, one per line, taken round-robin per request instead (many residents)
--   BENCH_IDEMPOTENCY  1 = send a fresh Idempotency-Key with every request (the app replays a reused key)
--   BENCH_PATH_FORMAT  a request path with one %s, e.g. /api/staff/complaints/%s/note, filled with ...
--   BENCH_ROTATE       ... the next of these space-separated values (tracking numbers), round-robin per request
--   BENCH_THREAD_COUNT wrk's -t, with BENCH_ROTATE: thread k of n takes values k, k+n, k+2n, ... only, so two
--                      threads never act on the same value; within a thread, a value comes round again only after
--                      all the thread's others, so with more values than connections two requests in flight do not
--                      share one (for staff actions on one case at the same moment, one would get a 409)
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
local token_file = os.getenv("BENCH_TOKEN_FILE")
local many_tokens = token_file ~= nil and #token_file > 0
local path_format = os.getenv("BENCH_PATH_FORMAT")
local rotate = os.getenv("BENCH_ROTATE")
local rotating = path_format ~= nil and #path_format > 0 and rotate ~= nil and #rotate > 0

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
   if many_tokens then
      tokens = {}
      for line in io.lines(token_file) do
         if #line > 0 then
            table.insert(tokens, "Bearer " .. line)
         end
      end
      if #tokens == 0 then
         error("BENCH_TOKEN_FILE holds no tokens")
      end
      -- Threads start at different residents, so two threads do not file for the same one in step.
      token_start = math.random(0, #tokens - 1)
   end
   if rotating then
      -- This thread's share of the values, as ready-made paths.
      local count = tonumber(os.getenv("BENCH_THREAD_COUNT") or "1")
      local all = {}
      for value in string.gmatch(rotate, "%S+") do
         table.insert(all, value)
      end
      paths = {}
      for i = thread_id, #all, count do
         table.insert(paths, string.format(path_format, all[i]))
      end
      if #paths == 0 then
         error("BENCH_ROTATE has fewer values than wrk has threads")
      end
   end
end

-- Defined only when needed: without a request() function wrk sends one pre-built request, which costs it less CPU
-- (it shares the 2 cores with the servers).
if fresh_keys or rotating or many_tokens then
   function request()
      counter = counter + 1
      local path = nil
      if rotating then
         path = paths[(counter - 1) % #paths + 1]
      end
      if fresh_keys then
         wrk.headers["Idempotency-Key"] = key_prefix .. "-" .. counter
      end
      if many_tokens then
         wrk.headers["Authorization"] = tokens[(token_start + counter) % #tokens + 1]
      end
      return wrk.format(nil, path)
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
