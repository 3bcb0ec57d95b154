-- wrk script for the full loop, the same cycle as bench/loop.py, driven by wrk so that the
-- loop's load generator costs what the /healthz and intake generators cost (a few µs a
-- request, where the Python client spends ~0.2 ms of the same two cores):
--
--   dispatcher  POST /appeals → POST /whistles (3 responders)
--   each unit   POST /tasks/T/acknowledge → /arrive → /complete
--   dispatcher  POST /whistles/W/close (verifies every task) → POST /tasks/T/rating ×3
--   citizen     POST /public/appeals/CODE/callback
--
-- wrk calls request() whenever one of a thread's connections is free and response() when an
-- answer arrives, without saying which request it answers. So each thread keeps a queue of
-- steps that are ready: every answer is recognised by its status and shape, checked, and
-- queues what it makes possible (a blown whistle queues three acknowledgements, the third
-- completion queues the close, …); a free connection takes the oldest ready step, or starts a
-- new loop with an intake when none is ready. All the steps of a loop stay in the thread that
-- started it. Any answer that is not the expected one is counted as a failure (run.sh fails
-- the run) and its loop stops there.
--
-- Environment (set by bench/run.sh):
--   WHISTLE_TOKEN       bearer token of the street's dispatcher (required)
--   WHISTLE_ITEM        catalogue item id (required; the loop's appeals carry it)
--   WHISTLE_RESPONDERS  "unitId=token,unitId=token,unitId=token": the three responding units
--                       and a token of a member of each (required)
-- Prints one line  BENCH_RESULT {…}  with wrk's figures and the loop's own.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } loop_timespec;
  int clock_gettime(int clk_id, loop_timespec *tp);
]]
local ts = ffi.new("loop_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local function need(name)
  local v = os.getenv(name)
  if not v or v == "" then
    io.stderr:write("loop.lua: " .. name .. " is not set\n")
    os.exit(2)
  end
  return v
end
local dispatcher = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. need("WHISTLE_TOKEN") }
local item = need("WHISTLE_ITEM")
local responder_headers, responders_json = {}, {}
for unit, token in string.gmatch(need("WHISTLE_RESPONDERS"), "([%x%-]+)=([%w_%-]+)") do
  responder_headers[string.upper(unit)] = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  responders_json[#responders_json + 1] = string.format('{"unitId":"%s","role":"%s"}', unit,
    #responders_json == 0 and "lead" or "support")
end
if #responders_json ~= 3 then
  io.stderr:write("loop.lua: WHISTLE_RESPONDERS must name three units\n")
  os.exit(2)
end
local responders_list = "[" .. table.concat(responders_json, ",") .. "]"
local public_headers = { ["Content-Type"] = "application/json" }
local UUID = "[%x%-]+"

local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  ready = {}          -- requests ready to send, oldest first: ready[head] … ready[tail]
  head, tail = 1, 0
  loops = {}          -- whistle id → {code, number, started, tasks = {task ids}, completed, rated}
  appeals = {}        -- appeal id → {code, number, started}
  starting = {}       -- appellant name of an intake on the way → when it was asked for
  callbacks = {}      -- appeal number → when its loop started, while its callback is on the way
  task_loop = {}      -- task id → whistle id
  n = 0
  answered = { appeal = 0, whistle = 0, acknowledge = 0, arrive = 0, complete = 0, close = 0, rating = 0, callback = 0 }
  loop_ms = {}        -- durations of completed loops
  failures = 0
end

local function push(text)
  tail = tail + 1
  ready[tail] = text
end

local function fail(why, status, body)
  failures = failures + 1
  if not first_error then
    first_error = why .. ": " .. tostring(status) .. " " .. string.sub(body or "", 1, 400)
  end
end

function request()
  if head <= tail then
    local text = ready[head]
    ready[head] = nil
    head = head + 1
    return text
  end
  -- Nothing ready: start a loop. A running loop always has a step ready or in flight, so with
  -- nothing ready each running loop holds a connection: a thread runs at most as many loops
  -- as it has connections (wrk -c32 -t2: 32 loops, as loop.py's 32 workers), fewer only
  -- while some loops have several steps in flight (the three acknowledgements).
  n = n + 1
  starting["循环" .. thread_index .. "-" .. n] = now_ms()
  local body = string.format(
    '{"channel":"hotline12345","appellantName":"循环%d-%d","appellantPhone":"137%08d",' ..
    '"address":"基准街道幸福路%d号","description":"bench-loop 路口占道经营，影响通行",' ..
    '"itemId":"%s","urgency":"urgent","lat":39.9,"lon":116.4}',
    thread_index, n, (thread_index * 10000000 + n) % 100000000, n % 500 + 1, item)
  return wrk.format("POST", "/api/v1/appeals", dispatcher, body)
end

-- The answer's own top-level state: in every answer here it is the "state" followed by
-- "stateName" whose object ends the key run before "supervisionOrders"/"tasks"/"steps"; a
-- clock's "state" is its last key, so `"state":"x","stateName"` never matches a clock.
local function state_of(body)
  return string.match(body, '"state":"(%w+)","stateName"')
end

function response(status, headers, body)
  if status == 201 and string.find(body, '"possibleDuplicates"', 1, true) then
    -- An appeal taken in: blow the whistle on it.
    local id = string.match(body, '"id":"(' .. UUID .. ')"')
    local code = string.match(body, '"trackingCode":"(%w+)"')
    local number = string.match(body, '"number":"([%w%-]+)"')
    local name = string.match(body, '"name":"(循环%d+%-%d+)"')
    local started = name and starting[name]
    if not (id and code and number and started and state_of(body) == "received") then return fail("appeal", status, body) end
    starting[name] = nil
    answered.appeal = answered.appeal + 1
    appeals[id] = { code = code, number = number, started = started }
    push(wrk.format("POST", "/api/v1/whistles", dispatcher, string.format(
      '{"appealId":"%s","kind":"rally","reason":"jointEnforcement","responders":%s}', id, responders_list)))
  elseif status == 201 and string.find(body, '"tasks":[', 1, true) then
    -- A whistle blown: each responder acknowledges its task.
    local whistle = string.match(body, '"id":"(' .. UUID .. ')","itemId"')
    local appeal = string.match(body, '"appealId":"(' .. UUID .. ')"')
    local a = appeal and appeals[appeal]
    if not (whistle and a and state_of(body) == "open") then return fail("whistle", status, body) end
    appeals[appeal] = nil
    local loop = { code = a.code, number = a.number, started = a.started, tasks = {}, completed = 0, rated = 0 }
    for task, unit in string.gmatch(body, '"extensions":%[%],"id":"(' .. UUID .. ')".-"unitId":"(' .. UUID .. ')"') do
      local h = responder_headers[unit]
      if not h then return fail("whistle: task for an unknown unit " .. unit, status, body) end
      loop.tasks[#loop.tasks + 1] = task
      task_loop[task] = whistle
      push(wrk.format("POST", "/api/v1/tasks/" .. task .. "/acknowledge", h, nil))
    end
    if #loop.tasks ~= 3 then return fail("whistle: not three tasks", status, body) end
    loops[whistle] = loop
    answered.whistle = answered.whistle + 1
  elseif status == 200 and string.find(body, '"tasks":[', 1, true) then
    -- The whistle closed: every task verified; rate each responder.
    local whistle = string.match(body, '"id":"(' .. UUID .. ')","itemId"')
    local loop = whistle and loops[whistle]
    local _, verified = string.gsub(body, '"state":"verified","stateName"', "")
    if not (loop and verified == 3 and string.match(body, '"state":"(%w+)","stateName":"[^"]*","tasks"') == "closed") then
      return fail("close", status, body)
    end
    answered.close = answered.close + 1
    for _, task in ipairs(loop.tasks) do
      push(wrk.format("POST", "/api/v1/tasks/" .. task .. "/rating", dispatcher, '{"grade":"good","comment":"响应迅速"}'))
    end
  elseif status == 200 and string.find(body, '"whistleId"', 1, true) then
    -- A task step (a closed whistle's answer names "whistleId" too, inside its tasks, so
    -- the close is recognised first): acknowledged → arrive, on site → complete, completed → close after the third.
    local task = string.match(body, '"extensions":%[[^%]]*%],"id":"(' .. UUID .. ')"')
    local whistle = task and task_loop[task]
    local unit = string.match(body, '"unitId":"(' .. UUID .. ')"')
    local h = unit and responder_headers[unit]
    local state = state_of(body)
    if not (whistle and h) then return fail("task step", status, body) end
    if state == "acknowledged" then
      answered.acknowledge = answered.acknowledge + 1
      push(wrk.format("POST", "/api/v1/tasks/" .. task .. "/arrive", h, '{"lat":39.9,"lon":116.4}'))
    elseif state == "onSite" then
      answered.arrive = answered.arrive + 1
      push(wrk.format("POST", "/api/v1/tasks/" .. task .. "/complete", h, '{"result":"摊位已清理"}'))
    elseif state == "completed" then
      answered.complete = answered.complete + 1
      local loop = loops[whistle]
      loop.completed = loop.completed + 1
      if loop.completed == 3 then
        push(wrk.format("POST", "/api/v1/whistles/" .. whistle .. "/close", dispatcher, '{"note":"核查属实"}'))
      end
    else
      return fail("task step in state " .. tostring(state), status, body)
    end
  elseif status == 201 and string.find(body, '"grade":"good"', 1, true) then
    -- A rating: after the third, the citizen's callback closes the appeal.
    local task = string.match(body, '"taskId":"(' .. UUID .. ')"')
    local whistle = task and task_loop[task]
    local loop = whistle and loops[whistle]
    if not loop then return fail("rating", status, body) end
    answered.rating = answered.rating + 1
    loop.rated = loop.rated + 1
    if loop.rated == 3 then
      for _, t in ipairs(loop.tasks) do task_loop[t] = nil end
      loops[whistle] = nil
      callbacks[loop.number] = loop.started
      push(wrk.format("POST", "/api/v1/public/appeals/" .. loop.code .. "/callback", public_headers,
        '{"satisfaction":"satisfied"}'))
    end
  elseif status == 200 and string.find(body, '"canRate"', 1, true) then
    -- The citizen's callback: the appeal is closed, the loop is done.
    local number = string.match(body, '"number":"([%w%-]+)"')
    local started = number and callbacks[number]
    if state_of(body) ~= "closed" or not started then return fail("callback", status, body) end
    callbacks[number] = nil
    answered.callback = answered.callback + 1
    loop_ms[#loop_ms + 1] = now_ms() - started
  else
    fail("unexpected answer", status, body)
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  local k = math.max(1, math.min(#sorted, math.ceil(p / 100 * #sorted)))
  return sorted[k]
end

function done(summary, latency, requests)
  local steps, all_loops, bad, err = {}, {}, 0, nil
  for _, t in ipairs(threads) do
    for step, count in pairs(t:get("answered") or {}) do steps[step] = (steps[step] or 0) + count end
    for _, ms in ipairs(t:get("loop_ms") or {}) do all_loops[#all_loops + 1] = ms end
    bad = bad + (t:get("failures") or 0)
    err = err or t:get("first_error")
  end
  table.sort(all_loops)
  local secs = summary.duration / 1e6
  local parts = {}
  for step, count in pairs(steps) do parts[#parts + 1] = string.format('"%s":{"count":%d}', step, count) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"client":"wrk","requests":%d,"duration_s":%.3f,"rps":%.1f,"requests_per_s":%.1f,' ..
    '"p50_ms":%.3f,"p99_ms":%.3f,"request_p50_ms":%.3f,"request_p99_ms":%.3f,' ..
    '"loops":%d,"loops_per_s":%.2f,"loop_p50_ms":%.1f,"loop_p99_ms":%.1f,"requests_per_loop":%.2f,' ..
    '"wrk_errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"errors":%d,' ..
    '"steps":{%s},"first_error":%s}\n',
    summary.requests, secs, summary.requests / secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    #all_loops, #all_loops / secs, percentile(all_loops, 50), percentile(all_loops, 99),
    #all_loops > 0 and summary.requests / #all_loops or 0,
    e.connect, e.read, e.write, e.status, e.timeout,
    bad + e.connect + e.read + e.write + e.status + e.timeout,
    table.concat(parts, ","), err and json_string(err) or "null"))
end
