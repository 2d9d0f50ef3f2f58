package httpapi

import (
	"net/http"
	"time"

	"talentdb/internal/tracking"
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
	recordMeta
}

func viewAward(a tracking.Award) awardView {
	return awardView{ID: a.ID, PersonID: a.PersonID, Competition: a.Competition, Level: a.Level, Rank: a.Rank,
		AwardedOn: dateString(a.AwardedOn), Organizer: a.Organizer, Category: a.CategoryCode, Evidence: a.Evidence,
		Verification: a.Verification, VerifiedBy: a.VerifiedBy, VerifiedAt: a.VerifiedAt,
		VerificationNote: a.VerificationNote, ReportedBy: a.ReportedBy, recordMeta: metaOf(a.DeletedAt, a.CreatedAt, a.UpdatedAt, a.Version)}
}

// awardRoutes wires the shared list, create, get, update, delete and restore handlers
// to the award methods of the tracking door.
func (s *server) awardRoutes() recordRoutes[tracking.Award, tracking.AwardDraft, awardView] {
	return recordRoutes[tracking.Award, tracking.AwardDraft, awardView]{
		s: s, entity: "award", param: "award",
		listRows: (*tracking.Service).ListAwards, getRow: (*tracking.Service).GetAward,
		createRow: (*tracking.Service).CreateAward, updateRow: (*tracking.Service).UpdateAward,
		deleteRow: (*tracking.Service).DeleteAward, restoreRow: (*tracking.Service).RestoreAward,
		view: viewAward, draftOf: tracking.AwardDraftOf,
		version: func(r tracking.Award) int { return r.Version },
		id:      func(r tracking.Award) int64 { return r.ID },
	}
}

func (s *server) verifyAward(w http.ResponseWriter, r *http.Request) {
	id, version, err := idAndVersion(r, "award")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b tracking.VerifyDraft
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	a, err := s.doors.Tracking.VerifyAward(r.Context(), callerFrom(r), id, version, b)
	if err != nil {
		failTracking(w, r, err, "award")
		return
	}
	respondVersioned(w, http.StatusOK, a.Version, viewAward(a))
}
