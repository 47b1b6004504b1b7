-- pages_xff.lua - wrk script: GET the Open311 request list at a page that
-- starts after a request chosen at random from the file $BENCH_IDS (one
-- service_request_id a line): ?before=ID, the keyset cursor a client follows
-- from the Link: rel="next" header.  With thousands of ids almost every
-- request asks a question the node has not answered yet, so this measures
-- the list read from the database and written out, not the answers the node
-- keeps.  Every request from another client address (X-Forwarded-For, for a
-- server started with --trust-proxy); then report like report.lua.  Used by
-- bench/hotline.sh.
local file = os.getenv("BENCH_IDS")
assert(file, "BENCH_IDS not set")
local ids = {}
for line in io.lines(file) do
    if line ~= "" then ids[#ids + 1] = line end
end
assert(#ids > 0, "no ids in " .. file)

local nthreads = 0
function setup(thread)
    thread:set("tid", nthreads)
    nthreads = nthreads + 1
end
local n
function request()
    if n == nil then
        n = (tid or 0) * 4000000
        math.randomseed(12345 + (tid or 0))
    end
    n = n + 1
    wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
        math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    local path = wrk.path .. (wrk.path:find("?", 1, true) and "&" or "?") .. "before=" .. ids[math.random(#ids)]
    return wrk.format(nil, path)
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "../report.lua")
