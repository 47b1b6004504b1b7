-- login.lua - wrk script: POST /api/v1/auth/login with the demo admin user
-- (created by `ywtb seed --demo`), then report like report.lua.  A non-2xx
-- answer (wrong password, lock-out, rate limit) counts in err_status.
wrk.method = "POST"
wrk.path = "/api/v1/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"admin","password":"Demo@2026"}'

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
