package person

import "talentdb/internal/store"

// The types the door takes and returns, named here so the paths above it never name the
// store.

// Person is a student or teacher as every path shows them: identifiers masked only.
type Person = store.Person

// Filter selects one page of persons; nil fields do not filter.
type Filter = store.PersonFilter

// Search asks for one page of the persons list; nil fields do not filter.
type Search = store.PersonSearch

// Hits is one page of the persons list (each row a store.PersonHit) and the total.
type Hits = store.PersonHits

// Hit is one row of Hits.
type Hit = store.PersonHit

// TimelineEvent is one line of a person's timeline.
type TimelineEvent = store.TimelineEvent

// Candidate is a pair on the review queue: Person the newer record, Similar the existing
// one it resembles, each with the masked identity number only.
type Candidate = store.IdentityCandidate

// CandidatePerson is one side of a candidate pair.
type CandidatePerson = store.CandidatePerson

// CandidateRecord is a row of the review queue without the persons' details.
type CandidateRecord = store.CandidateRecord

// CandidateClosedError is a dismissal of a candidate that is no longer open; it matches
// access.ErrConflict.
type CandidateClosedError = store.CandidateClosedError

// Merge is one merge of a person into another, with what it moved.
type Merge = store.Merge

// MergeMoved is what a merge changed, so that undoing it puts everything back.
type MergeMoved = store.MergeMoved

// CareerMoveEnd is a career move's end as it was before a merge re-linked the moves.
type CareerMoveEnd = store.CareerMoveEnd

// CandidateState is a review-queue pair's state as it was before a merge closed it.
type CandidateState = store.CandidateState

// MergeError is a merge or undo refused by the state of the persons (Reason: same_person,
// kept_merged, from_merged, already_undone, not_merged); it matches access.ErrConflict.
type MergeError = store.MergeError
