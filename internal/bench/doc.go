// Package bench is `talentdb bench` (`make bench`): one bounded run that measures the
// service at a stated scale on the machine it runs on and prints one table. It loads the
// deterministic demo data set into a database of its own (or reuses it when a marker
// says the same scale and seed are already there), serves the real HTTP handler on
// loopback with authentication on, and measures
//
//   - person read, person timeline and a school's follow-up due list over HTTP under 1,
//     16 and 64 concurrent clients (p50/p99 latency, requests per second);
//   - the yardstick: the same single-row person read done directly with pgx on a
//     prepared statement, at the same concurrencies;
//   - the cohort and annual reports;
//   - a persons import (rows/s) beside a plain COPY of the same rows.
//
// Every cell is bounded by a number of requests and a time limit, so the whole run
// takes a few minutes. The raw numbers and a description of the machine are written as
// JSON beside the printed table (bench/results/DATE-HOST.json and .txt).
//
// It is a tool for people, not part of the service: it must never run against a
// production database (it creates and drops databases named after the one it is given)
// and is not imported by the service's packages. Micro-benchmarks stay `go test -bench`.
package bench
