-- Shared by healthz.lua and intake.lua: counts response statuses in every wrk thread and,
-- at the end, prints one machine-readable line that bench/run.sh parses:
--   BENCH_RESULT {"requests":…,"duration_s":…,"rps":…,"p50_ms":…,…,"status":{"201":…}}
-- Counting needs a `response` hook, which costs wrk some CPU; healthz.lua sets
-- BENCH_COUNT_STATUS=0 to skip it and relies on wrk's own non-2xx count instead.
-- With BENCH_IDS_FILE set, the "id" of every 201 answer is written there, one a line, so
-- that run.sh can check each answered write is in the database file.

local threads = {}
local count_status = os.getenv("BENCH_COUNT_STATUS") ~= "0"
local ids_file = os.getenv("BENCH_IDS_FILE")

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  ids = {}
end

if count_status then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if status == 201 and ids_file then
      -- Sorted keys: the first "id" is the created object's own.
      ids[#ids + 1] = string.match(body, '"id":"([%x%-]+)"') or "?"
    end
    -- Keep the first failing body so a broken run says why.
    if status >= 300 and not first_error then
      first_error = tostring(status) .. " " .. string.sub(body or "", 1, 400)
    end
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function done(summary, latency, requests)
  local merged, err = {}, nil
  for _, t in ipairs(threads) do
    local st = t:get("statuses") or {}
    for code, n in pairs(st) do merged[code] = (merged[code] or 0) + n end
    err = err or t:get("first_error")
  end
  if ids_file then
    local f = assert(io.open(ids_file, "w"))
    for _, t in ipairs(threads) do
      for _, id in ipairs(t:get("ids") or {}) do f:write(id, "\n") end
    end
    f:close()
  end
  local parts = {}
  for code, n in pairs(merged) do table.insert(parts, string.format('"%d":%d', code, n)) end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
    '"p50_ms":%.3f,"p75_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"status_counted":%s,"status":{%s},"first_error":%s}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(75) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.status, e.timeout,
    count_status and "true" or "false", table.concat(parts, ","),
    err and json_string(err) or "null"))
end
