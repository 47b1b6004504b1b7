-- license_issue.lua - wrk script: POST /api/v1/licenses, issuing a 营业执照
-- (LT-001) directly as the department's reviewer ($BENCH_TOKEN) to a new holder
-- each time: valid unified social credit codes (GB 32100-2015, see
-- ../shared/reference/CN-STANDARDS.md §2) 91 310104 + MB + 6 digits + the
-- organization code's check character (GB 11714) + the MOD 31 check character.
-- Then report like report.lua.
local ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"   -- no I O Z S V; values 0..30
local value = {}
for k = 1, #ALPHA do value[ALPHA:sub(k, k)] = k - 1 end

local function org_value(c)        -- GB 11714: digits, then A=10 ... Z=35
    local b = c:byte()
    return b <= 57 and b - 48 or b - 55
end

function uscc(n)
    local org = string.format("MB%06d", n % 1000000)
    local w = { 3, 7, 9, 10, 5, 8, 4, 2 }
    local s = 0
    for k = 1, 8 do s = s + org_value(org:sub(k, k)) * w[k] end
    local c9 = 11 - s % 11
    local body = "91310104" .. org .. (c9 == 10 and "X" or c9 == 11 and "0" or tostring(c9))
    local sum, weight = 0, 1
    for k = 1, 17 do
        sum = sum + value[body:sub(k, k)] * weight
        weight = weight * 3 % 31
    end
    local c = (31 - sum % 31) % 31
    return body .. ALPHA:sub(c + 1, c + 1)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end

local nthreads = 0
function setup(thread)
    thread:set("tid", nthreads)
    nthreads = nthreads + 1
end

local n
function request()
    if n == nil then n = (tid or 0) * 400000 end
    n = n + 1
    local ident = uscc(n)
    local name = "上海汇测科技有限公司" .. n
    local body = string.format('{"type":"LT-001","holder_ident":"%s","holder_name":"%s","fields":{"name":"%s",' ..
        '"uscc":"%s","legal_rep":"张伟","type":"有限责任公司（自然人投资或控股）","registered_capital":"100",' ..
        '"address":"上海市徐汇区漕溪北路336号","business_scope":"技术开发、技术咨询、技术服务","established":"2020-05-18"}}',
        ident, name, name, ident)
    return wrk.format("POST", nil, nil, body)
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
