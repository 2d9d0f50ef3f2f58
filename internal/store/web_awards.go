package store

import (
	"context"

	"talentdb/db"
)

// QueuedAward is an award waiting for verification, with the names a reviewer reads.
type QueuedAward struct {
	Award
	PersonName string
	SchoolName *string
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
		out[i] = QueuedAward{Award: awardFrom(r.Award), PersonName: r.PersonName, SchoolName: r.SchoolName}
	}
	return out, nil
}
