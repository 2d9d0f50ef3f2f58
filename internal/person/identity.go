package person

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// The identity review queue and merges (docs/identity.md) live on the person door, not
// in internal/identity: the store imports that package (keys, identity numbers), so a
// door over the store cannot live there.

// Candidates returns up to limit open pairs of the review queue with id > afterID, in
// the order they were found, for the office.
func (s *Service) Candidates(ctx context.Context, c access.Caller, afterID int64, limit int) ([]Candidate, error) {
	if err := access.Authorize(c, access.IdentityRead); err != nil {
		return nil, err
	}
	return s.st.IdentityCandidateList(in(ctx, c), afterID, limit)
}

// DismissCandidate closes an open pair as two different persons, audited. An unknown id
// is access.ErrNotFound, a closed one a *CandidateClosedError.
func (s *Service) DismissCandidate(ctx context.Context, c access.Caller, id int64) (CandidateRecord, error) {
	if err := access.Authorize(c, access.IdentityResolve); err != nil {
		return CandidateRecord{}, err
	}
	return s.st.IdentityCandidateDismiss(in(ctx, c), store.ActorFor(c), id)
}

// Merge moves every record of person from to person kept, which stays; from is marked
// merged into it, audited. from must name a person (a *access.FieldError on "from"); a
// merge the persons' state refuses is a *MergeError.
func (s *Service) Merge(ctx context.Context, c access.Caller, kept int64, from *int64) (Merge, error) {
	if err := access.Authorize(c, access.IdentityResolve); err != nil {
		return Merge{}, err
	}
	if from == nil || *from <= 0 {
		return Merge{}, &access.FieldError{Field: "from", Rule: "required",
			Message: "from 必须是要合并的人员 id / from must be the id of the person to merge"}
	}
	return s.st.PersonMerge(in(ctx, c), store.ActorFor(c), kept, *from)
}

// Merges lists the merges into person id, oldest first, undone ones too. An unknown
// person is access.ErrNotFound.
func (s *Service) Merges(ctx context.Context, c access.Caller, id int64) ([]Merge, error) {
	if err := access.Authorize(c, access.IdentityRead); err != nil {
		return nil, err
	}
	ctx = in(ctx, c)
	if _, err := s.st.PersonGet(ctx, id); err != nil {
		return nil, err
	}
	return s.st.PersonMerges(ctx, id)
}

// Unmerge undoes merge mergeID into person kept exactly, audited; a merge that can no
// longer be undone as recorded is a *MergeError.
func (s *Service) Unmerge(ctx context.Context, c access.Caller, kept, mergeID int64) (Merge, error) {
	if err := access.Authorize(c, access.IdentityResolve); err != nil {
		return Merge{}, err
	}
	return s.st.PersonUnmerge(in(ctx, c), store.ActorFor(c), kept, mergeID)
}
