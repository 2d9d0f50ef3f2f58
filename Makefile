# talentdb — two commands matter: `make run` and `make test`. See README.md.
SHELL := /bin/bash
GO ?= go
BIN := bin/talentdb
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/talentdb?sslmode=disable

.PHONY: build run test bench microbench generate check fmt vet tidy-check clean

build:
	$(GO) build -o $(BIN) ./cmd/talentdb

# run: make sure a PostgreSQL answers (a private cluster under ./.data/ when none does),
# create the database if missing, migrate, load small demo data if empty, serve on :8080.
run: build
	@url=$$(.ci/ensure-postgres "$(DATABASE_URL)") || exit 1; \
	export DATABASE_URL="$$url"; \
	$(BIN) migrate up && \
	$(BIN) seed demo --scale small --if-empty && \
	exec $(BIN) serve --no-migrate

# test: every package against the local PostgreSQL, each test in a database of its own.
test:
	@.ci/ensure-postgres "$(DATABASE_URL)" >/dev/null
	$(GO) test -race -count=1 -timeout 15m ./...

# bench: the service measured on this machine at province scale, as one table (see
# internal/bench and docs/operations.md). The data set is loaded once into the database
# talentdb_bench on the server of DATABASE_URL and reused by later runs; the raw numbers
# and the machine go to bench/results/DATE-HOST.json and .txt. A few minutes.
BENCH_SCALE ?= province
bench: build
	@url=$$(.ci/ensure-postgres "$(DATABASE_URL)") || exit 1; \
	$(BIN) bench --database-url "$$url" --scale $(BENCH_SCALE) --out bench/results

# microbench: the Go micro-benchmarks beside the code they measure (go test -bench).
microbench:
	$(GO) test -run '^$$' -bench . -timeout 30m ./...

generate:
	$(GO) tool -modfile=tools.mod sqlc generate

fmt:
	gofmt -w cmd internal db migrations

vet:
	$(GO) vet ./...

clean:
	rm -rf bin
