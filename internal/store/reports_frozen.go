package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// FrozenReport is a report as it was published: its kind (annual, cohort), the
// parameters it was computed with, its as_of, the body exactly as published, who froze
// it and when. Body is nil in lists.
type FrozenReport struct {
	ID       int64
	Kind     string
	Params   json.RawMessage
	AsOf     time.Time
	Body     json.RawMessage
	FrozenBy string
	FrozenAt time.Time
}

// FrozenReportInsert stores a published report and writes its audit row in the same
// transaction. It fills in ID and FrozenAt.
func (s *Store) FrozenReportInsert(ctx context.Context, a Actor, fr *FrozenReport) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.FrozenReportInsert(ctx, tx, db.FrozenReportInsertParams{Kind: fr.Kind, Params: fr.Params,
			AsOf: fr.AsOf, Body: fr.Body, FrozenBy: fr.FrozenBy})
		if err != nil {
			return mapErr("freeze report", err)
		}
		fr.ID, fr.FrozenAt = r.ID, r.FrozenAt
		return s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "frozen_report",
			EntityID: strconv.FormatInt(r.ID, 10),
			After:    map[string]any{"kind": fr.Kind, "params": fr.Params, "as_of": fr.AsOf.Format(time.DateOnly)}})
	})
}

// FrozenReportGet returns one frozen report with its body; an unknown id is ErrNotFound.
func (s *Store) FrozenReportGet(ctx context.Context, id int64) (FrozenReport, error) {
	r, err := s.q.FrozenReportGet(ctx, s.scoped(), id)
	if err != nil {
		return FrozenReport{}, mapErr(fmt.Sprintf("get frozen report %d", id), err)
	}
	return FrozenReport{ID: r.ID, Kind: r.Kind, Params: r.Params, AsOf: r.AsOf, Body: r.Body, FrozenBy: r.FrozenBy,
		FrozenAt: r.FrozenAt}, nil
}

// FrozenReportFilter selects frozen reports: of one kind (nil = all), after an id, at
// most Limit.
type FrozenReportFilter struct {
	Kind    *string
	AfterID int64
	Limit   int
}

// FrozenReportList returns frozen reports without their bodies, in id order.
func (s *Store) FrozenReportList(ctx context.Context, f FrozenReportFilter) ([]FrozenReport, error) {
	rows, err := s.q.FrozenReportList(ctx, s.scoped(), db.FrozenReportListParams{Kind: f.Kind, AfterID: f.AfterID,
		Lim: int32(f.Limit)})
	if err != nil {
		return nil, mapErr("list frozen reports", err)
	}
	out := make([]FrozenReport, 0, len(rows))
	for _, r := range rows {
		out = append(out, FrozenReport{ID: r.ID, Kind: r.Kind, Params: r.Params, AsOf: r.AsOf, FrozenBy: r.FrozenBy,
			FrozenAt: r.FrozenAt})
	}
	return out, nil
}
