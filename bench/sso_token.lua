-- sso_token.lua - wrk script: POST a form body ($BENCH_FORM) with
-- `Authorization: $BENCH_AUTH` (client_secret_basic) - an OAuth token request -
-- then report like report.lua.  Used by bench/sso.sh.
wrk.method = "POST"
wrk.body = assert(os.getenv("BENCH_FORM"), "BENCH_FORM not set")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = assert(os.getenv("BENCH_AUTH"), "BENCH_AUTH not set")
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
