-- wrk script for the 12345 exchange: POST /api/v1/hotline/orders, each request a batch of
-- BENCH_BATCH new orders with unique numbers (thread, counter), as the platform pushes them.
-- Environment (set by bench/push.sh): WHISTLE_KEY (the hotline API key, required),
-- BENCH_BATCH (orders per push, default 100), BENCH_STREET (street code), BENCH_DIR.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/wrk_report.lua")

local key = os.getenv("WHISTLE_KEY")
if not key or key == "" then
  io.stderr:write("push.lua: WHISTLE_KEY is not set\n")
  os.exit(2)
end
local batch = tonumber(os.getenv("BENCH_BATCH") or "100")
local street = os.getenv("BENCH_STREET") or "BD-S1"
local headers = { ["Content-Type"] = "application/json", ["X-Api-Key"] = key }

local thread_count = 0
local base_setup = setup
function setup(thread)
  base_setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_no", thread_count)
end

local base_init = init
function init(args)
  base_init(args)
  n = 0
  math.randomseed(os.time() + thread_no)
end

function request()
  local orders = {}
  for i = 1, batch do
    n = n + 1
    orders[i] = string.format(
      '{"orderNo":"P%d-%d-%09d","receivedAt":"2026-03-02T01:00:00Z","category":"C%02d","street":"%s",' ..
      '"address":"基准街道幸福路%d号","description":"市民反映路口占道经营，影响通行","appellantName":"市民",' ..
      '"appellantPhone":"138%08d"}',
      os.time() % 100000, thread_no, n, n % 45, street, n % 500 + 1, math.random(0, 99999999))
  end
  return wrk.format("POST", "/api/v1/hotline/orders", headers, '{"orders":[' .. table.concat(orders, ",") .. ']}')
end
