#!/usr/bin/env python3
"""EXPLAIN (ANALYZE, BUFFERS) of the cohort and annual report statements, N times each, in
the analyst's scope (or --scope), on DATABASE (default talentdb_bench_reports): prints each run's
execution time, the median and the load average. The statements are read from
queries/reports.sql (the sqlc source) with their parameters filled in.

    python3 bench/report-explain.py [--db NAME] [--runs 7] [--plan] [--as-of 2026-11-28]
"""
import argparse, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


QUERIES = os.path.join(ROOT, "queries", "reports.sql")


def statement(name):
    text = open(QUERIES).read()
    m = re.search(r"-- name: %s :\w+\n(.*?)(?=\n-- name: |\Z)" % name, text, re.S)
    if not m:
        sys.exit("no statement " + name)
    body = "\n".join(l for l in m.group(1).splitlines() if not l.lstrip().startswith("--"))
    return body.strip().rstrip(";")


# what the store's report transactions set (store.reportSettings), --settings to try others
SETTINGS = ("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL max_parallel_workers_per_gather = 0; "
            "SET LOCAL enable_sort = off; ")

SCOPE, SCHOOL = "analyst", ""

TYPES = {"edition_ids": "text[]", "as_of": "date", "year": "int", "program": "text",
         "school_code": "text", "city_code": "text", "category_code": "text"}


def prepare(sql):
    """sql with its @name and sqlc.narg(name) parameters numbered as sqlc numbers them
    (in order of first use), and the parameters' names in that order."""
    names = []
    def num(n):
        if n not in names:
            names.append(n)
        return "$%d" % (names.index(n) + 1)
    sql = re.sub(r"sqlc\.narg\((\w+)\)|@(\w+)", lambda m: num(m.group(1) or m.group(2)), sql)
    return sql, names


def run(db, name, sql, params, runs, plan):
    """EXECUTE the prepared statement runs times in one transaction of the analyst's scope
    as the store begins it (role, jit off, scope), so that PostgreSQL picks custom or
    generic plans as it does for the service's prepared statements; the times of each."""
    sql, names = prepare(sql)
    args = ", ".join(params.get(n, "NULL") for n in names)
    script = ["BEGIN; SET LOCAL ROLE talentdb_app; SET LOCAL jit = off; " + SETTINGS +
              "SELECT set_config('talentdb.scope','%s',true), set_config('talentdb.school_id','%s',true);" % (SCOPE, SCHOOL),
              "PREPARE q (%s) AS %s;" % (", ".join(TYPES[n] for n in names), sql)]
    script += ["EXPLAIN (ANALYZE, BUFFERS) EXECUTE q (%s);" % args] * runs
    script.append("ROLLBACK;")
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "root", "-d", db, "-XAtq", "-v", "ON_ERROR_STOP=1"],
                         input="\n".join(script), capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    if plan:  # the last run's plan
        print(re.split(r"Execution Time: [\d.]+ ms\n", out.stdout)[-2])
    return [float(t) for t in re.findall(r"Execution Time: ([\d.]+) ms", out.stdout)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="talentdb_bench_reports")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--plan", action="store_true", help="print the last run's plan")
    ap.add_argument("--as-of", default="2026-11-28")
    ap.add_argument("--only", help="run only the statement whose label contains this (cohort, annual)")
    ap.add_argument("--queries", help="read the statements from this file instead of queries/reports.sql "
                    "(e.g. an older version: git show REV:queries/reports.sql > /tmp/old.sql)")
    ap.add_argument("--scope", default="analyst", help="the scope (analyst, office, school with --school-id)")
    ap.add_argument("--school-id", default="", help="talentdb.school_id for the school scope")
    ap.add_argument("--settings", help="SET LOCAL statements instead of the store's report settings")
    a = ap.parse_args()
    global SETTINGS, QUERIES, SCOPE, SCHOOL
    SCOPE, SCHOOL = a.scope, a.school_id
    if a.queries:
        QUERIES = a.queries
    if a.settings is not None:
        SETTINGS = a.settings
    cases = [c for c in [
        ("cohort jingke-2023", "ReportCohortWindows",
         {"edition_ids": "'{jingke-2023}'", "as_of": "'%s'" % a.as_of}),
        ("annual 2025", "ReportAnnualFigures", {"year": "2025", "as_of": "'%s'" % a.as_of}),
    ] if not a.only or a.only in c[0]]
    for label, name, params in cases:
        times = run(a.db, name, statement(name), params, a.runs, a.plan)
        load = open("/proc/loadavg").read().split()[:3]
        print("%-20s median %8.1f ms  runs %s  load %s" % (
            label, statistics.median(times), " ".join("%.1f" % t for t in times), " ".join(load)))


if __name__ == "__main__":
    main()
