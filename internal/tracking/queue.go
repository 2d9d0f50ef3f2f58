package tracking

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// QueuedAward is an award waiting for the office's verification, with the person's and
// the school's names.
type QueuedAward = store.QueuedAward

// QueueFilter selects a page of the verification queue: the awards of one verification
// state ("": reported, 待核实), of a level, a city, a school (its code) and an edition
// (persons who took part in it) when given.
type QueueFilter = store.AwardQueueFilter

// Queue is a page of the queue and the total of the awards the filter matches.
type Queue = store.AwardQueuePage

// queueFields are the fields a page of the queue shows, as the audit log records them.
var queueFields = []string{"name", "school_code", "competition", "level", "rank", "awarded_on", "organizer",
	"evidence", "verification"}

// AwardQueue returns a page of the live awards f selects, oldest first, with the total:
// the work of whoever verifies awards (access.AwardVerify). The queue names persons, so
// the read is audited, for the page as for its export.
func (s *Service) AwardQueue(ctx context.Context, c access.Caller, f QueueFilter) (Queue, error) {
	ctx, err := reading(ctx, c, access.AwardVerify)
	if err != nil {
		return Queue{}, err
	}
	return s.st.AwardQueueRead(ctx, store.ActorFor(c), f, queueFields)
}
