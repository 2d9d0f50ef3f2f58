package tracking

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// QueuedAward is an award waiting for the office's verification, with the person's and
// the school's names.
type QueuedAward = store.QueuedAward

// AwardQueue returns up to limit live awards still reported (待核实), oldest first, with
// id > afterID and of level when given: the work of whoever verifies awards
// (access.AwardVerify).
func (s *Service) AwardQueue(ctx context.Context, c access.Caller, level *string, afterID int64, limit int) ([]QueuedAward, error) {
	ctx, err := reading(ctx, c, access.AwardVerify)
	if err != nil {
		return nil, err
	}
	return s.st.AwardQueue(ctx, level, afterID, limit)
}
