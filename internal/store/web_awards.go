package store

import (
	"context"

	"talentdb/db"
)

// QueuedAward is an award waiting for verification, with the names a reviewer reads.
type QueuedAward struct {
	Award
	PersonName           string
	SchoolName           *string
	SchoolCode, CityCode *string
}

// AwardQueueFilter selects a page of the verification queue: the live awards of one
// verification state ("": reported), nil fields not filtering; Edition keeps the awards
// of persons who took part in it.
type AwardQueueFilter struct {
	Verification                         string
	Level, CityCode, SchoolCode, Edition *string
	Offset, Limit                        int
}

// AwardQueuePage is a page of the queue and how many awards match in all.
type AwardQueuePage struct {
	Rows  []QueuedAward
	Total int
}

// AwardQueueRead returns a page of the queue, oldest first, in ctx's scope, with the
// read recorded (fields, the rows returned) in the same unit of work: the queue names
// persons.
func (s *Store) AwardQueueRead(ctx context.Context, a Actor, f AwardQueueFilter, fields []string) (AwardQueuePage, error) {
	if f.Verification == "" {
		f.Verification = "reported"
	}
	out := AwardQueuePage{Rows: []QueuedAward{}}
	err := s.ReadAudited(ctx, a, AuditEntry{Action: "read", Entity: "award", Fields: fields}, func(q db.DBTX) (int, error) {
		rows, err := s.q.WebAwardQueue(ctx, q, db.WebAwardQueueParams{Verification: f.Verification, Level: f.Level,
			CityCode: f.CityCode, SchoolCode: f.SchoolCode, Edition: f.Edition, Lim: int32(f.Limit), Off: int32(f.Offset)})
		if err != nil {
			return 0, err
		}
		for _, r := range rows {
			out.Total = int(r.Total)
			out.Rows = append(out.Rows, QueuedAward{Award: awardFrom(r.Award), PersonName: r.PersonName,
				SchoolName: r.SchoolName, SchoolCode: r.SchoolCode, CityCode: r.CityCode})
		}
		return len(out.Rows), nil
	})
	if err != nil {
		return AwardQueuePage{}, mapErr("list the award queue", err)
	}
	return out, nil
}
