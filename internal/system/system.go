// Package system is the door to the platform under every request: whether the database
// answers (readiness), the read replica's health and the connection pool's figures (the
// metrics), and whether an error says the database is away (a 503, not a 500). It reads
// no personal data and needs no caller: health and metrics are the operator's, outside
// the policy table.
package system

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"talentdb/internal/store"
)

// ReplicaStatus is the read replica's health: whether one is attached, whether reads go to
// it, and how far its replay is behind.
type ReplicaStatus = store.ReplicaStatus

// PoolStat is a snapshot of the connection pool's figures.
type PoolStat = pgxpool.Stat

// Service is the door to the platform's health.
type Service struct {
	st *store.Store
}

// New returns the service over st.
func New(st *store.Store) *Service { return &Service{st: st} }

// Ping checks that the database answers, within ctx's deadline.
func (s *Service) Ping(ctx context.Context) error { return s.st.Ping(ctx) }

// Replica is the replica's health as the last background check saw it (zero when none is
// attached).
func (s *Service) Replica() ReplicaStatus { return s.st.ReplicaStatus() }

// Pool is the pool's figures now.
func (s *Service) Pool() *PoolStat { return s.st.Pool.Stat() }

// Unavailable reports whether err says that the database could not be reached or went
// away, rather than that it refused a statement: callers answer "try again later".
func Unavailable(err error) bool { return store.IsUnavailable(err) }
