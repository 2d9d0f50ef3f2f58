package store

import (
	"context"
	"time"

	"talentdb/db"
)

// QueuedAward is an award waiting for verification, with the names a reviewer reads.
type QueuedAward struct {
	ID           int64
	PersonID     int64
	PersonName   string
	SchoolName   *string
	Competition  string
	Level        string
	Rank         *string
	AwardedOn    time.Time
	Organizer    *string
	CategoryCode *string
	Evidence     *string
	ReportedBy   *string
	Version      int
}

// AwardQueue returns up to limit live reported awards with id > afterID, oldest first, of
// level when given, in ctx's scope.
func (s *Store) AwardQueue(ctx context.Context, level *string, afterID int64, limit int) ([]QueuedAward, error) {
	rows, err := s.q.WebAwardQueue(ctx, s.scoped(), db.WebAwardQueueParams{Level: level, AfterID: afterID, Lim: int32(limit)})
	if err != nil {
		return nil, mapErr("list the award queue", err)
	}
	out := make([]QueuedAward, len(rows))
	for i, r := range rows {
		out[i] = QueuedAward{ID: r.ID, PersonID: r.PersonID, PersonName: r.PersonName, SchoolName: r.SchoolName,
			Competition: r.Competition, Level: r.Level, Rank: r.Rank, AwardedOn: r.AwardedOn, Organizer: r.Organizer,
			CategoryCode: r.CategoryCode, Evidence: r.Evidence, ReportedBy: r.ReportedBy, Version: int(r.Version)}
	}
	return out, nil
}
