package tracking

import (
	"time"

	"talentdb/internal/check"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// The types the door takes and returns, named here so the paths above it never name the
// store.

// Award is a prize of a person (获奖), with its verification by the office.
type Award = store.Award

// AwardInput is an award as the door writes it: parsed and checked.
type AwardInput = store.AwardInput

// Destination is where a person went after the program (毕业去向).
type Destination = store.Destination

// DestinationInput is a destination as the door writes it: parsed and checked.
type DestinationInput = store.DestinationInput

// CareerMove is one interval of a teacher's career (工作动向).
type CareerMove = store.CareerMove

// CareerMoveInput is a career move as the door writes it: parsed and checked.
type CareerMoveInput = store.CareerMoveInput

// FollowUp is one contact with a person (跟踪联系).
type FollowUp = store.FollowUp

// FollowUpInput is a follow-up as the door writes it: parsed and checked.
type FollowUpInput = store.FollowUpInput

// DuplicateError is a record refused because one with the same natural key exists
// (ExistingID); it matches access.ErrConflict.
type DuplicateError = store.DuplicateError

// MergedError is a write to a person merged into another (Into); it matches
// access.ErrConflict.
type MergedError = store.MergedError

// The drafts: a record as a caller writes it (the API's JSON body, a page's form), each
// field as sent — nil is absent (or null), text untrimmed, dates YYYY-MM-DD, enumerations
// by key or Chinese label. The door checks a draft as a whole, so a caller learns about
// every invalid field at once (*access.FieldError joined, check.All lists them); the
// fields the door fills in from the caller (reported_by, made_by) may not be sent.

// AwardDraft is an award as a caller writes it.
type AwardDraft struct {
	Competition *string `json:"competition"`
	Level       *string `json:"level"`
	Rank        *string `json:"rank"`
	AwardedOn   *string `json:"awarded_on"`
	Organizer   *string `json:"organizer"`
	Category    *string `json:"category"`
	Evidence    *string `json:"evidence"`
	ReportedBy  *string `json:"reported_by"`
}

// AwardDraftOf is a as a draft, for a patch to be decoded over.
func AwardDraftOf(a Award) AwardDraft {
	return AwardDraft{Competition: &a.Competition, Level: &a.Level, Rank: a.Rank, AwardedOn: dateOf(&a.AwardedOn),
		Organizer: a.Organizer, Category: a.CategoryCode, Evidence: a.Evidence}
}

func (d AwardDraft) input() (AwardInput, error) {
	var c check.Fields
	in := AwardInput{Competition: c.Required("competition", deref(d.Competition)),
		Level: c.RequiredLabel("level", d.Level, vocab.Levels), Rank: c.Optional(d.Rank),
		Organizer: c.Optional(d.Organizer), CategoryCode: c.Optional(d.Category), Evidence: c.Optional(d.Evidence),
		AwardedOn: c.RequiredDate("awarded_on", d.AwardedOn)}
	c.MaxLen("competition", &in.Competition, 200)
	c.MaxLen("rank", in.Rank, 50)
	c.MaxLen("organizer", in.Organizer, 200)
	c.MaxLen("evidence", in.Evidence, 2000)
	c.ServerSet("reported_by", d.ReportedBy)
	return in, c.Err()
}

// VerifyDraft is a verification step of an award as a caller writes it.
type VerifyDraft struct {
	State *string `json:"state"`
	Note  *string `json:"note"`
}

func (d VerifyDraft) input() (state string, note *string, err error) {
	var c check.Fields
	state, note = c.RequiredLabel("state", d.State, vocab.Verifications), c.Optional(d.Note)
	c.MaxLen("note", note, 2000)
	return state, note, c.Err()
}

// DestinationDraft is a destination as a caller writes it.
type DestinationDraft struct {
	Type       *string `json:"type"`
	OrgCode    *string `json:"org_code"`
	OrgName    *string `json:"org_name"`
	Major      *string `json:"major"`
	StartedOn  *string `json:"started_on"`
	ReportedBy *string `json:"reported_by"`
}

// DestinationDraftOf is d as a draft, for a patch to be decoded over.
func DestinationDraftOf(d Destination) DestinationDraft {
	return DestinationDraft{Type: &d.Type, OrgCode: d.OrgCode, OrgName: d.OrgName, Major: d.Major,
		StartedOn: dateOf(&d.StartedOn)}
}

func (d DestinationDraft) input() (DestinationInput, error) {
	var c check.Fields
	in := DestinationInput{Type: c.RequiredLabel("type", d.Type, vocab.DestinationTypes),
		OrgCode: c.Optional(d.OrgCode), OrgName: c.Optional(d.OrgName), Major: c.Optional(d.Major),
		StartedOn: c.RequiredDate("started_on", d.StartedOn)}
	c.MaxLen("org_code", in.OrgCode, 64)
	c.MaxLen("org_name", in.OrgName, 200)
	c.MaxLen("major", in.Major, 100)
	c.ServerSet("reported_by", d.ReportedBy)
	return in, c.Err()
}

// CareerMoveDraft is a career move as a caller writes it. EndedOn is an explicit end;
// absent (or null) the move runs until the next one starts.
type CareerMoveDraft struct {
	OrgCode    *string `json:"org_code"`
	OrgName    *string `json:"org_name"`
	Position   *string `json:"position"`
	Title      *string `json:"title"`
	StartedOn  *string `json:"started_on"`
	EndedOn    *string `json:"ended_on"`
	Reason     *string `json:"reason"`
	ReportedBy *string `json:"reported_by"`
}

// CareerMoveDraftOf is m as a draft, for a patch to be decoded over: a linked end is
// left out (it follows the next move).
func CareerMoveDraftOf(m CareerMove) CareerMoveDraft {
	d := CareerMoveDraft{OrgCode: m.OrgCode, OrgName: m.OrgName, Position: &m.Position, Title: m.Title,
		StartedOn: dateOf(&m.StartedOn), Reason: m.Reason}
	if m.EndedExplicit {
		d.EndedOn = dateOf(m.EndedOn)
	}
	return d
}

func (d CareerMoveDraft) input() (CareerMoveInput, error) {
	var c check.Fields
	in := CareerMoveInput{OrgCode: c.Optional(d.OrgCode), OrgName: c.Optional(d.OrgName),
		Position: c.RequiredLabel("position", d.Position, vocab.Positions),
		Title:    c.Label("title", d.Title, vocab.Titles), Reason: c.Label("reason", d.Reason, vocab.Reasons),
		EndedOn: c.OptionalDate("ended_on", d.EndedOn)}
	if in.OrgCode == nil && in.OrgName == nil {
		c.Add("org_name", "required", "org_code 与 org_name 至少填一项 / one of org_code and org_name is required")
	}
	in.StartedOn = c.RequiredDate("started_on", d.StartedOn)
	c.MaxLen("org_code", in.OrgCode, 64)
	c.MaxLen("org_name", in.OrgName, 200)
	c.ServerSet("reported_by", d.ReportedBy)
	return in, c.Err()
}

// FollowUpDraft is a follow-up as a caller writes it.
type FollowUpDraft struct {
	ContactedOn *string `json:"contacted_on"`
	Channel     *string `json:"channel"`
	Outcome     *string `json:"outcome"`
	Notes       *string `json:"notes"`
	MadeBy      *string `json:"made_by"`
}

// FollowUpDraftOf is f as a draft, for a patch to be decoded over.
func FollowUpDraftOf(f FollowUp) FollowUpDraft {
	return FollowUpDraft{ContactedOn: dateOf(&f.ContactedOn), Channel: &f.Channel, Outcome: &f.Outcome, Notes: f.Notes}
}

func (d FollowUpDraft) input() (FollowUpInput, error) {
	var c check.Fields
	in := FollowUpInput{Channel: c.RequiredLabel("channel", d.Channel, vocab.Channels),
		Outcome: c.RequiredLabel("outcome", d.Outcome, vocab.Outcomes), Notes: c.Optional(d.Notes),
		ContactedOn: c.RequiredDate("contacted_on", d.ContactedOn)}
	c.MaxLen("notes", in.Notes, 2000)
	c.ServerSet("made_by", d.MadeBy)
	return in, c.Err()
}

// dateOf is a date as a draft writes it (nil for nil).
func dateOf(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// ParseAward checks an award draft as the door's writes do (every invalid field at once)
// without writing it: for answers that become awards later (a self-report's prizes).
func ParseAward(d AwardDraft) (AwardInput, error) { return d.input() }

// ParseDestination checks a destination draft as the door's writes do, without writing it.
func ParseDestination(d DestinationDraft) (DestinationInput, error) { return d.input() }
