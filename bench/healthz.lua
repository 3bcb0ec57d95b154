-- wrk script for GET /healthz: plain GETs, summary line from wrk_report.lua.
-- Run from the repository root: BENCH_DIR=bench wrk -s bench/healthz.lua http://127.0.0.1:PORT/healthz
dofile((os.getenv("BENCH_DIR") or "bench") .. "/wrk_report.lua")
wrk.method = "GET"
