#!/usr/bin/env python3
"""The cohort and annual reports over HTTP as the bench asks for them (jingke-2023 and 2025,
as_of 2026-11-28, one client): signs in to a running `talentdb serve` as an analyst and
prints each report's p50 and p90 over N requests and the load average.

    TALENTDB_USER=… TALENTDB_PASSWORD=… python3 bench/report-http.py [--base http://127.0.0.1:8080] [--runs 21]
"""
import argparse, json, os, statistics, time, urllib.request


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--as-of", default="2026-11-28")
    a = ap.parse_args()
    body = json.dumps({"username": os.environ["TALENTDB_USER"], "password": os.environ["TALENTDB_PASSWORD"]}).encode()
    r = urllib.request.urlopen(urllib.request.Request(a.base + "/api/v1/auth/login", body, {"Content-Type": "application/json"}))
    # the session cookie is Secure: sent by hand over plain HTTP to a local serve
    cookie = r.headers["Set-Cookie"].split(";", 1)[0]
    op = urllib.request.build_opener()
    op.addheaders = [("Cookie", cookie)]
    for label, path in [("cohort jingke-2023", "/api/v1/reports/cohort?edition=jingke-2023&as_of=" + a.as_of),
                        ("annual 2025", "/api/v1/reports/annual?year=2025&as_of=" + a.as_of)]:
        op.open(a.base + path).read()  # a first request (connections, statement cache)
        ms = []
        for _ in range(a.runs):
            t = time.perf_counter()
            op.open(a.base + path).read()
            ms.append((time.perf_counter() - t) * 1000)
        ms.sort()
        load = open("/proc/loadavg").read().split()[:3]
        print("%-20s p50 %7.1f ms  p90 %7.1f ms  (%d runs, HTTP)  load %s" % (
            label, statistics.median(ms), ms[int(len(ms) * 0.9)], len(ms), " ".join(load)))


if __name__ == "__main__":
    main()
