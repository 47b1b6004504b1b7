-- search.lua - wrk script: catalog search, GET /api/v1/items?q=... cycling
-- through two-character queries (the LIKE path: FTS5's trigram tokenizer finds
-- nothing under three characters), longer ones (FTS5 trigram on SQLite) and one
-- filtered by target; then report like report.lua.
local queries = {
    "许可", "社保", "户籍", "护照",          -- 2 characters
    "营业执照", "食品经营", "居住证",        -- 3 and more
    "许可&target=person",                    -- with a filter
}
local paths = {}
for k, q in ipairs(queries) do
    local word, rest = q:match("^([^&]*)(.*)$")
    paths[k] = "/api/v1/items?q=" .. word:gsub("[^%w%-_.~]", function(c)
        return string.format("%%%02X", c:byte())
    end) .. rest
end

local nthreads = 0
function setup(thread)
    thread:set("tid", nthreads)
    nthreads = nthreads + 1
end

local i
function request()
    if i == nil then i = (tid or 0) * 3 % #paths end
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
