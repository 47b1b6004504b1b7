-- sso_code.lua - wrk script: the authorization_code exchange with PKCE at a
-- token endpoint, one fresh code per request.  The codes ($BENCH_CODES, one a
-- line, minted beforehand) are dealt out between wrk's threads; the form is
-- $BENCH_FORM (grant_type, redirect_uri, code_verifier) plus `code`, with
-- `Authorization: $BENCH_AUTH` (client_secret_basic).  Running out of codes
-- sends a spent one, which shows as a non-2xx answer (the run then fails
-- rather than report a rate it did not reach).  Reports like report.lua.
local file = assert(os.getenv("BENCH_CODES"), "BENCH_CODES not set")
local form = assert(os.getenv("BENCH_FORM"), "BENCH_FORM not set")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
local counter = 0
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"

function setup(thread)
    thread:set("tid", counter)
    counter = counter + 1
end

function init(args)
    codes = {}
    local i = 0
    for line in io.lines(file) do
        if line ~= "" then
            if i % nthreads == tid then
                codes[#codes + 1] = line
            end
            i = i + 1
        end
    end
    at = 0
    headers = {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Authorization"] = assert(os.getenv("BENCH_AUTH"), "BENCH_AUTH not set"),
    }
end

function request()
    at = at + 1
    local c = codes[at] or "spent"
    return wrk.format("POST", nil, headers, form .. "&code=" .. c)
end

dofile(here .. "report.lua")
