package store

import (
	"context"
	"encoding/json"
	"time"

	"talentdb/db"
)

// ImportRun is one recorded import run (the imports table).
type ImportRun struct {
	ID             int64
	Kind           string
	FileName       *string
	SHA256         []byte
	UploadedBy     *string
	IdempotencyKey *string
	DryRun         bool
	Applied        bool
	// Summary is the run's JSON summary as stored; in a list it holds the counts and at
	// most the first 20 errors (ErrorCount says how many there were).
	Summary    json.RawMessage
	ErrorCount int
	CreatedAt  time.Time
}

// ImportByKey returns the run an uploader recorded under an idempotency key, or
// ErrNotFound.
func (s *Store) ImportByKey(ctx context.Context, uploadedBy, key string) (ImportRun, error) {
	r, err := s.q.ImportByKey(ctx, s.scoped(), db.ImportByKeyParams{UploadedBy: &uploadedBy, IdempotencyKey: &key})
	if err != nil {
		return ImportRun{}, mapErr("get import by key", err)
	}
	return ImportRun{ID: r.ID, Kind: r.Kind, FileName: r.FileName, SHA256: r.FileSha256, UploadedBy: r.UploadedBy,
		IdempotencyKey: r.IdempotencyKey, DryRun: r.DryRun, Applied: r.Applied, Summary: r.Summary,
		CreatedAt: r.CreatedAt}, nil
}

// ImportFilter selects a page of past runs, newest first. Nil fields do not filter.
type ImportFilter struct {
	UploadedBy *string
	Kind       *string
	BeforeID   int64 // 0: from the newest
	Limit      int
}

// ImportList returns up to f.Limit runs with id < f.BeforeID, newest first.
func (s *Store) ImportList(ctx context.Context, f ImportFilter) ([]ImportRun, error) {
	rows, err := s.q.ImportList(ctx, s.scoped(), db.ImportListParams{BeforeID: f.BeforeID, UploadedBy: f.UploadedBy,
		Kind: f.Kind, Lim: int32(f.Limit)})
	if err != nil {
		return nil, mapErr("list imports", err)
	}
	out := make([]ImportRun, len(rows))
	for i, r := range rows {
		var sum map[string]json.RawMessage
		if err := json.Unmarshal(r.Counts, &sum); err != nil {
			return nil, mapErr("list imports", err)
		}
		sum["errors"] = r.FirstErrors
		js, err := json.Marshal(sum)
		if err != nil {
			return nil, mapErr("list imports", err)
		}
		out[i] = ImportRun{ID: r.ID, Kind: r.Kind, FileName: r.FileName, SHA256: r.FileSha256,
			UploadedBy: r.UploadedBy, IdempotencyKey: r.IdempotencyKey, DryRun: r.DryRun, Applied: r.Applied,
			Summary: js, ErrorCount: int(r.ErrorCount), CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// ImportCount is how many runs f matches (f.BeforeID and f.Limit aside), in ctx's scope.
func (s *Store) ImportCount(ctx context.Context, f ImportFilter) (int, error) {
	n, err := s.q.ImportCount(ctx, s.scoped(), db.ImportCountParams{UploadedBy: f.UploadedBy, Kind: f.Kind})
	if err != nil {
		return 0, mapErr("count imports", err)
	}
	return int(n), nil
}
