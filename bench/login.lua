-- wrk script for a sign-in flood: wrong passwords for usernames that do not exist (the
-- attack of issue 12: no account needed). Statuses are counted (401 answered, 429 throttled).
-- BENCH_DIR=bench wrk -s bench/login.lua http://127.0.0.1:PORT/api/v1/auth/login
dofile((os.getenv("BENCH_DIR") or "bench") .. "/wrk_report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"username":"nobody-%d","password":"guess-%d"}', n % 997, n))
end
