-- For bench/pages.sh: counts response statuses and prints one line per run,
--   PAGE_RESULT requests=… rps=… p50_ms=… p90_ms=… p95_ms=… p99_ms=… max_ms=… non200=…
-- (wrk's own --latency table has no 95th percentile).
local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args) bad = 0 end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + (t:get("bad") or 0) end
  local secs = summary.duration / 1e6
  io.write(string.format(
    "PAGE_RESULT requests=%d rps=%.1f p50_ms=%.1f p90_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f non200=%d errors=%d\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non200,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
