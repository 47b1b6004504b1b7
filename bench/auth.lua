-- auth.lua - wrk script: the request wrk was given (GET by default), with
-- `Authorization: Bearer $BENCH_TOKEN`; then report like report.lua.
-- Used by bench/run.sh for GET /api/v1/me and the reviewer's queue.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
