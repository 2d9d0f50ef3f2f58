package participation

import "talentdb/internal/store"

// Participation is a person in one edition, as the door returns it. Its JSON names are
// the API's (and the audit log's).
type Participation = store.Participation

// Filter selects one page of participations; nil fields do not filter.
type Filter = store.ParticipationFilter
