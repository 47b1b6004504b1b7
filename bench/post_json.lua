-- post_json.lua - wrk script: POST the JSON body in the file $BENCH_BODY to the
-- URL's path, with `Authorization: Bearer $BENCH_TOKEN` when set; then report
-- like report.lua.  Used by bench/run.sh for case submissions (every request
-- creates a new case: no Idempotency-Key) and license verification.
local file = os.getenv("BENCH_BODY")
assert(file, "BENCH_BODY not set")
local f = assert(io.open(file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end

-- BENCH_XFF=1: every request from another client address (X-Forwarded-For
-- 10.x.y.z), for a server started with --trust-proxy, as behind nginx: routes
-- rate-limited per address (license verification) then see many verifiers.
if os.getenv("BENCH_XFF") == "1" then
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
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
