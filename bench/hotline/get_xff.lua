-- get_xff.lua - wrk script: GET the URL, every request from another client
-- address (X-Forwarded-For 10.x.y.z, for a server started with --trust-proxy),
-- so the per-address rate limits of public routes (Open311) see many clients
-- as behind nginx; then report like report.lua.  Used by bench/hotline.sh.
local nthreads = 0
function setup(thread)
    thread:set("tid", nthreads)
    nthreads = nthreads + 1
end
local n
function request()
    if n == nil then n = (tid or 0) * 4000000 end
    n = n + 1
    wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
        math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    return wrk.format()
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "../report.lua")
