-- paths.lua - wrk script: GET each path of the file $BENCH_PATHS in turn (one
-- a line, e.g. /api/v1/cases/XH20260421500000), with `Authorization: Bearer
-- $BENCH_TOKEN` when set; each thread starts at its own place in the list.
-- Then report like report.lua.  Used by bench/run.sh for case pages.
local file = os.getenv("BENCH_PATHS")
assert(file, "BENCH_PATHS not set")
local list = {}
for line in io.lines(file) do
    if line ~= "" then list[#list + 1] = line end
end
assert(#list > 0, "BENCH_PATHS is empty")
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end

local nthreads = 0
function setup(thread)
    thread:set("tid", nthreads)
    nthreads = nthreads + 1
end

local i
function request()
    if i == nil then i = ((tid or 0) * 7919) % #list end
    i = i % #list + 1
    return wrk.format("GET", list[i])
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
