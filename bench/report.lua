-- report.lua - wrk script: when the run ends, print one parseable line with
-- exact figures (latency:percentile gives the exact p50/p99 from wrk's
-- histogram, in microseconds).  Used by bench/run.sh; other scripts load it.
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d max_us=%d mean_us=%.1f bytes=%d " ..
        "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99), latency.max, latency.mean, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout))
end
