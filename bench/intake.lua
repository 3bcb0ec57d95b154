-- wrk script for appeal intake: POST /api/v1/appeals as the street's dispatcher.
-- Environment (set by bench/run.sh):
--   WHISTLE_TOKEN  bearer token of a dispatcher (required)
--   WHISTLE_ITEM   catalogue item id (optional; with it the server also runs its duplicate check)
--   BENCH_DIR      directory holding wrk_report.lua (default "bench")
--   BENCH_TAG      first word of each description, to find the rows again (default "bench-intake")
-- Each request carries a fresh phone number and coordinates spread over ~10 km, so the
-- possible-duplicate hint sees a realistic, mostly empty neighbourhood.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/wrk_report.lua")

local token = os.getenv("WHISTLE_TOKEN")
if not token or token == "" then
  io.stderr:write("intake.lua: WHISTLE_TOKEN is not set\n")
  os.exit(2)
end
local item = os.getenv("WHISTLE_ITEM") or ""
local tag = os.getenv("BENCH_TAG") or "bench-intake"

local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. token,
}

local base_init = init
function init(args)
  base_init(args)
  -- Different sequences per thread (wrk copies the script into each thread).
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
  n = 0
end

function request()
  n = n + 1
  local lat = 39.85 + math.random() * 0.10
  local lon = 116.35 + math.random() * 0.12
  local phone = string.format("139%08d", math.random(0, 99999999))
  -- "itemId" as docs/API.md has it (builds since issue 13 refuse unknown fields, so the
  -- old second spelling "itemID" is no longer sent); run.sh's probe checks the item sticks.
  local item_json = ""
  if item ~= "" then
    item_json = string.format('"itemId":"%s",', item)
  end
  local body = string.format(
    '{"channel":"hotline12345","appellantName":"压测%d","appellantPhone":"%s",' ..
    '"address":"基准街道幸福路%d号","description":"%s 路口占道经营，影响通行",%s' ..
    '"urgency":"urgent","lat":%.6f,"lon":%.6f}',
    n, phone, n % 500 + 1, tag, item_json, lat, lon)
  return wrk.format("POST", "/api/v1/appeals", headers, body)
end
