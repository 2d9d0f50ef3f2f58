package httpapi

import (
	"net/http"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// Awards (获奖) of a person, their verification by the office, soft delete and restore.

type awardView struct {
	ID               int64      `json:"id"`
	PersonID         int64      `json:"person_id"`
	Competition      string     `json:"competition"`
	Level            string     `json:"level"`
	Rank             *string    `json:"rank"`
	AwardedOn        string     `json:"awarded_on"`
	Organizer        *string    `json:"organizer"`
	Category         *string    `json:"category"`
	Evidence         *string    `json:"evidence"`
	Verification     string     `json:"verification"`
	VerifiedBy       *string    `json:"verified_by"`
	VerifiedAt       *time.Time `json:"verified_at"`
	VerificationNote *string    `json:"verification_note"`
	ReportedBy       *string    `json:"reported_by"`
	Deleted          bool       `json:"deleted"`
	DeletedAt        *time.Time `json:"deleted_at"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	Version          int        `json:"version"`
}

func viewAward(a store.Award) awardView {
	return awardView{ID: a.ID, PersonID: a.PersonID, Competition: a.Competition, Level: a.Level, Rank: a.Rank,
		AwardedOn: dateString(a.AwardedOn), Organizer: a.Organizer, Category: a.CategoryCode, Evidence: a.Evidence,
		Verification: a.Verification, VerifiedBy: a.VerifiedBy, VerifiedAt: a.VerifiedAt,
		VerificationNote: a.VerificationNote, ReportedBy: a.ReportedBy, Deleted: a.DeletedAt != nil,
		DeletedAt: a.DeletedAt, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

// awardBody is the body of POST /persons/{id}/awards and PATCH /awards/{id}. On PATCH it
// starts as the current award and the patch is decoded over it (JSON merge patch).
type awardBody struct {
	Competition *string `json:"competition"`
	Level       *string `json:"level"`
	Rank        *string `json:"rank"`
	AwardedOn   *string `json:"awarded_on"`
	Organizer   *string `json:"organizer"`
	Category    *string `json:"category"`
	Evidence    *string `json:"evidence"`
	ReportedBy  *string `json:"reported_by"`
}

func awardBodyOf(a store.Award) awardBody {
	on := dateString(a.AwardedOn)
	return awardBody{Competition: &a.Competition, Level: &a.Level, Rank: a.Rank, AwardedOn: &on,
		Organizer: a.Organizer, Category: a.CategoryCode, Evidence: a.Evidence}
}

func (b awardBody) validate() (store.AwardInput, error) {
	var c checker
	in := store.AwardInput{Competition: c.required("competition", b.Competition),
		Level: c.requiredLabel("level", b.Level, vocab.Levels), Rank: c.optional(b.Rank),
		Organizer: c.optional(b.Organizer), CategoryCode: c.optional(b.Category), Evidence: c.optional(b.Evidence)}
	c.required("awarded_on", b.AwardedOn)
	if d := c.date("awarded_on", b.AwardedOn); d != nil {
		in.AwardedOn = *d
	}
	c.maxLen("competition", &in.Competition, 200)
	c.maxLen("rank", in.Rank, 50)
	c.maxLen("organizer", in.Organizer, 200)
	c.maxLen("evidence", in.Evidence, 2000)
	c.serverSet("reported_by", b.ReportedBy)
	return in, c.err()
}

// verifyBody is the body of POST /awards/{id}/verify.
type verifyBody struct {
	State *string `json:"state"`
	Note  *string `json:"note"`
}

// awardRoutes wires the shared list, create, get, update, delete and restore handlers
// to the award methods of the tracking door.
func (s *server) awardRoutes() recordRoutes[store.Award, awardBody, store.AwardInput, awardView] {
	return recordRoutes[store.Award, awardBody, store.AwardInput, awardView]{
		s: s, entity: "award", param: "award",
		listRows: (*tracking.Service).ListAwards, getRow: (*tracking.Service).GetAward,
		createRow: (*tracking.Service).CreateAward, updateRow: (*tracking.Service).UpdateAward,
		deleteRow: (*tracking.Service).DeleteAward, restoreRow: (*tracking.Service).RestoreAward,
		view: viewAward, bodyOf: awardBodyOf, validate: awardBody.validate,
		version: func(r store.Award) int { return r.Version },
		id:      func(r store.Award) int64 { return r.ID },
	}
}

func (s *server) verifyAward(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "award")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var b verifyBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var c checker
	state := c.requiredLabel("state", b.State, vocab.Verifications)
	note := c.optional(b.Note)
	c.maxLen("note", note, 2000)
	if err := c.err(); err != nil {
		fail(w, r, err)
		return
	}
	a, err := s.doors.Tracking.VerifyAward(r.Context(), callerFrom(r), id, version, state, note)
	if err != nil {
		failTracking(w, r, err, "award")
		return
	}
	respondVersioned(w, http.StatusOK, a.Version, viewAward(a))
}
