package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
	"talentdb/internal/vocab"
)

// Selection (选拔): nominations, the steps of a nominee, public notices and objections.

// NominationFacts is what the registration rules need: the edition and the nominating
// school's application for it (nil without one).
type NominationFacts struct {
	Edition     Edition
	SchoolID    int64
	Application *ApplicationStatus
}

// NominationCreate registers a nominee: a participation in status registered, stamped at
// at, after decide accepted the facts, all in one transaction; the nominating school
// becomes the person's responsible school. The same person twice in an edition is a
// *ConstraintError (participations_person_edition_key).
func (s *Store) NominationCreate(ctx context.Context, a Actor, in ParticipationInput, at time.Time,
	decide func(NominationFacts) error) (Participation, error) {
	return createTx(ctx, s, "register nomination", func(tx pgx.Tx) (Participation, error) {
		in.Status = "registered"
		refs, err := s.newParticipationRefs(ctx, tx, in)
		if err != nil {
			return Participation{}, err
		}
		ed, err := s.q.EditionGet(ctx, tx, in.EditionID)
		if err != nil {
			return Participation{}, err
		}
		app, err := s.applicationOf(ctx, tx, in.EditionID, refs.schoolID)
		if err != nil {
			return Participation{}, err
		}
		if err := decide(NominationFacts{Edition: editionFrom(ed), SchoolID: refs.schoolID, Application: app}); err != nil {
			return Participation{}, err
		}
		id, err := s.q.ParticipationInsert(ctx, tx, db.ParticipationInsertParams{PersonID: in.PersonID,
			EditionID: in.EditionID, Program: refs.program, SchoolID: refs.schoolID, CategoryCode: in.CategoryCode,
			Grade: in.Grade, TeacherRole: in.TeacherRole, Status: "registered"})
		if err != nil {
			return Participation{}, err
		}
		if err := s.q.CycleParticipationRegisteredAt(ctx, tx, db.CycleParticipationRegisteredAtParams{ID: id, At: &at}); err != nil {
			return Participation{}, err
		}
		if err := s.q.PersonSchoolFollow(ctx, tx, in.PersonID); err != nil {
			return Participation{}, err
		}
		return s.participationCreated(ctx, tx, a, id)
	})
}

// Notice is a public notice (公示) of a school's nominees for an edition.
type Notice struct {
	ID         int64
	EditionID  string
	SchoolID   int64
	SchoolCode string
	CityCode   string
	StartsOn   time.Time
	EndsOn     time.Time
	Nominees   int
	CreatedBy  *string
	CreatedAt  time.Time
}

// NoticeRef is the period of a notice.
type NoticeRef struct {
	ID       int64
	StartsOn time.Time
	EndsOn   time.Time
}

// MentorRef is a mentor with the institution they belong to.
type MentorRef struct {
	ID              int64
	Name            string
	InstitutionID   *int64
	InstitutionCode *string
}

// StepRequest is what a step of a nominee names, for the store to resolve: the day it
// happens on (to find the notice open that day), and for admission the mentor and
// institution.
type StepRequest struct {
	Day             time.Time
	MentorID        *int64
	InstitutionCode *string
}

// SelectionFacts is what the rules of a nominee's step need, read in the transaction after
// the participation was locked.
type SelectionFacts struct {
	Participation Participation
	Edition       Edition
	Application   *ApplicationStatus
	// OpenNotice is the school's notice for the edition open on the day (nil: none).
	OpenNotice *NoticeRef
	// Notice is the notice the nominee was publicized under; for a nominee publicized
	// without a recorded link, the school's latest notice that had started by then.
	Notice *NoticeRef
	// OpenObjections and UpheldObjections count the objections against the nominee.
	OpenObjections, UpheldObjections int
	// Mentor and InstitutionID resolve the request (nil when not asked).
	Mentor        *MentorRef
	InstitutionID *int64
}

// Step is a decided step: the status entered and what comes with it.
type Step struct {
	To            string
	Note          *string
	LinkNotice    *int64
	MentorID      *int64
	InstitutionID *int64
	// Audit holds extra facts for the audit row's after (e.g. the institution's code).
	Audit map[string]any
}

// ParticipationStep locks a participation, checks the version when given, reads the
// facts and lets decide choose the step; then moves the participation (stamping the step
// at at), links it to a notice when asked, and audits a transition.
func (s *Store) ParticipationStep(ctx context.Context, a Actor, id int64, version *int, at time.Time, req StepRequest,
	decide func(SelectionFacts) (Step, error)) (Participation, error) {
	var step Step
	return updateLocked(ctx, s, a, id, version, lockedWrite[int64, Participation]{op: "participation step",
		entity: "participation", lock: s.q.ParticipationLock, get: getter(s.q.ParticipationGet, participationFrom),
		write: func(ctx context.Context, tx pgx.Tx, cur Participation) (*Participation, error) {
			f, err := s.selectionFactsOf(ctx, tx, cur, req)
			if err != nil {
				return nil, err
			}
			if step, err = decide(f); err != nil {
				return nil, err
			}
			if err := s.q.CycleParticipationStep(ctx, tx, db.CycleParticipationStepParams{ID: id, Status: step.To,
				MentorID: step.MentorID, InstitutionID: step.InstitutionID, At: at}); err != nil {
				return nil, err
			}
			if step.LinkNotice != nil {
				return nil, s.q.CycleNoticeLink(ctx, tx, db.CycleNoticeLinkParams{ParticipationID: id,
					NoticeID: *step.LinkNotice, SchoolID: cur.SchoolID})
			}
			return nil, nil
		},
		audit: func(before, after Participation) AuditEntry { return transitionAudit(before, after, step) }})
}

// transitionAudit is the audit row of a status change: before holds the status, after the
// status and what came with the step.
func transitionAudit(before, after Participation, step Step) AuditEntry {
	b := map[string]any{"status": before.Status}
	x := map[string]any{"status": after.Status}
	if step.Note != nil {
		x["note"] = *step.Note
	}
	if step.LinkNotice != nil {
		x["notice_id"] = *step.LinkNotice
	}
	if before.MentorID != after.MentorID && after.MentorID != nil {
		b["mentor_id"], x["mentor_id"] = before.MentorID, *after.MentorID
	}
	if after.InstitutionCode != nil && deref(before.InstitutionCode) != *after.InstitutionCode {
		b["institution_code"], x["institution_code"] = before.InstitutionCode, *after.InstitutionCode
	}
	for k, v := range step.Audit {
		x[k] = v
	}
	return AuditEntry{Action: "transition", Entity: "participation", EntityID: fmt.Sprint(after.ID),
		PersonID: &after.PersonID, SchoolID: &after.SchoolID, Before: b, After: x}
}

func (s *Store) selectionFacts(ctx context.Context, tx pgx.Tx, id int64, req StepRequest) (SelectionFacts, error) {
	r, err := s.q.ParticipationGet(ctx, tx, id)
	if err != nil {
		return SelectionFacts{}, err
	}
	return s.selectionFactsOf(ctx, tx, participationFrom(r), req)
}

// selectionFactsOf reads the facts of participation p, as read in tx.
func (s *Store) selectionFactsOf(ctx context.Context, tx pgx.Tx, p Participation, req StepRequest) (SelectionFacts, error) {
	f := SelectionFacts{Participation: p}
	id := p.ID
	ed, err := s.q.EditionGet(ctx, tx, p.EditionID)
	if err != nil {
		return f, err
	}
	f.Edition = editionFrom(ed)
	if f.Application, err = s.applicationOf(ctx, tx, p.EditionID, p.SchoolID); err != nil {
		return f, err
	}
	if nid, err := s.q.CycleNoticeOpen(ctx, tx, db.CycleNoticeOpenParams{SchoolID: p.SchoolID, EditionID: p.EditionID,
		Day: req.Day}); err == nil {
		n, err := s.q.CycleNoticeGet(ctx, tx, nid)
		if err != nil {
			return f, err
		}
		f.OpenNotice = &NoticeRef{ID: n.ID, StartsOn: n.StartsOn, EndsOn: n.EndsOn}
	} else if !isNoRows(err) {
		return f, err
	}
	if n, err := s.q.CycleNoticeOfNominee(ctx, tx, id); err == nil {
		f.Notice = &NoticeRef{ID: n.ID, StartsOn: n.StartsOn, EndsOn: n.EndsOn}
	} else if !isNoRows(err) {
		return f, err
	} else if p.PublicizedAt != nil {
		day := p.PublicizedAt.In(chinaTZ)
		on := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
		if n, err := s.q.CycleNoticeLatestEnd(ctx, tx, db.CycleNoticeLatestEndParams{SchoolID: p.SchoolID,
			EditionID: p.EditionID, Day: on}); err == nil {
			f.Notice = &NoticeRef{ID: n.ID, StartsOn: n.StartsOn, EndsOn: n.EndsOn}
		} else if !isNoRows(err) {
			return f, err
		}
	}
	c, err := s.q.CycleObjectionCounts(ctx, tx, id)
	if err != nil {
		return f, err
	}
	f.OpenObjections, f.UpheldObjections = int(c.Open), int(c.Upheld)
	if req.MentorID != nil {
		m, err := s.q.CycleMentorGet(ctx, tx, *req.MentorID)
		if err != nil {
			return f, missing(err, "mentor_id", "导师不存在 / no mentor has this mentor_id")
		}
		f.Mentor = &MentorRef{ID: m.ID, Name: m.Name, InstitutionID: m.InstitutionID, InstitutionCode: m.InstitutionCode}
	}
	if req.InstitutionCode != nil {
		iid, err := s.organizationByCode(ctx, tx, "institution_code", *req.InstitutionCode, "institution")
		if err != nil {
			return f, err
		}
		f.InstitutionID = &iid
	}
	return f, nil
}

// chinaTZ is UTC+8, where the dates of the cycle are civil dates.
var chinaTZ = vocab.China

// NoticeFilter selects one page of notices.
type NoticeFilter = SchoolFilter

func noticeFrom(r db.CycleNoticeGetRow) Notice {
	return Notice{ID: r.ID, EditionID: r.EditionID, SchoolID: r.SchoolID, SchoolCode: r.SchoolCode,
		CityCode: deref(r.SchoolCityCode), StartsOn: r.StartsOn, EndsOn: r.EndsOn, Nominees: int(r.Nominees),
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

// NoticeGet returns one notice or ErrNotFound.
func (s *Store) NoticeGet(ctx context.Context, id int64) (Notice, error) {
	return rowOf(ctx, s, "get notice", id, getter(s.q.CycleNoticeGet, noticeFrom))
}

// NoticeList returns up to f.Limit notices with id > f.AfterID, by id.
func (s *Store) NoticeList(ctx context.Context, f NoticeFilter) ([]Notice, error) {
	rows, err := s.q.CycleNoticeList(ctx, s.scoped(), db.CycleNoticeListParams{AfterID: f.AfterID, Edition: f.Edition,
		SchoolID: f.SchoolID, CityCode: f.CityCode, Lim: int32(f.Limit)})
	return rowsOf("list notices", rows, err, func(r db.CycleNoticeListRow) Notice { return noticeFrom(db.CycleNoticeGetRow(r)) })
}

// NoticeFacts is what the rules of a new notice need.
type NoticeFacts struct {
	Edition     Edition
	SchoolID    int64
	Application *ApplicationStatus
}

// editionNamed reads edition id for a write that names it: no such edition is a
// *FieldError on "edition".
func (s *Store) editionNamed(ctx context.Context, q db.DBTX, id string) (db.Edition, error) {
	ed, err := s.q.EditionGet(ctx, q, id)
	return ed, missing(err, "edition", fmt.Sprintf("年度 %s 不存在 / edition %s does not exist", id, id))
}

// noticeFacts reads what the rules of a school's record in an edition (a notice, a
// training session, a year summary) check: the edition (editionNamed), the school by
// code (a *FieldError on "school_code" when there is none) and its application.
func (s *Store) noticeFacts(ctx context.Context, tx pgx.Tx, editionID, schoolCode string) (NoticeFacts, error) {
	ed, err := s.editionNamed(ctx, tx, editionID)
	if err != nil {
		return NoticeFacts{}, err
	}
	schoolID, err := s.organizationByCode(ctx, tx, "school_code", schoolCode, "school")
	if err != nil {
		return NoticeFacts{}, err
	}
	app, err := s.applicationOf(ctx, tx, editionID, schoolID)
	if err != nil {
		return NoticeFacts{}, err
	}
	return NoticeFacts{Edition: editionFrom(ed), SchoolID: schoolID, Application: app}, nil
}

// NoticeCreate records a public notice of school schoolCode for editionID after check
// accepted it, and audits it.
func (s *Store) NoticeCreate(ctx context.Context, a Actor, editionID, schoolCode string, startsOn, endsOn time.Time,
	check func(NoticeFacts) error) (Notice, error) {
	return insertRow(ctx, s, a, newRow[NoticeFacts, Notice]{op: "create notice", entity: "public_notice",
		facts: s.schoolFactsOf(editionID, schoolCode), check: check, get: getter(s.q.CycleNoticeGet, noticeFrom),
		insert: func(ctx context.Context, tx pgx.Tx, f NoticeFacts) (int64, error) {
			return s.q.CycleNoticeInsert(ctx, tx, db.CycleNoticeInsertParams{EditionID: editionID, SchoolID: f.SchoolID,
				StartsOn: startsOn, EndsOn: endsOn, CreatedBy: actorName(a)})
		},
		audit: func(f NoticeFacts, _ Notice) AuditEntry {
			return AuditEntry{SchoolID: &f.SchoolID, After: map[string]any{"edition": editionID, "school_code": schoolCode,
				"starts_on": startsOn.Format(time.DateOnly), "ends_on": endsOn.Format(time.DateOnly)}}
		}})
}

// schoolFactsOf reads the facts of school schoolCode in editionID, for a new row's check.
func (s *Store) schoolFactsOf(editionID, schoolCode string) func(context.Context, pgx.Tx) (NoticeFacts, error) {
	return func(ctx context.Context, tx pgx.Tx) (NoticeFacts, error) {
		return s.noticeFacts(ctx, tx, editionID, schoolCode)
	}
}

// Objection is an objection (异议) lodged against a nominee during the public notice.
type Objection struct {
	ID int64
	Participant
	SchoolCode string
	CityCode   string
	LodgedOn   time.Time
	Content    string
	LodgedBy   *string
	Outcome    *string
	Resolution *string
	ResolvedAt *time.Time
	ResolvedBy *string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

// ObjectionFilter selects one page of objections; SchoolID and CityCode restrict to a scope.
type ObjectionFilter struct {
	Edition         *string
	ParticipationID *int64
	Open            *bool
	SchoolID        *int64
	CityCode        *string
	AfterID         int64
	Limit           int
}

func objectionFrom(r db.CycleObjectionGetRow) Objection {
	o := Objection{ID: r.ID, Participant: participantOf(r.ParticipationID, r.PersonID, r.EditionID, r.SchoolID, r.MentorID),
		SchoolCode: r.SchoolCode, CityCode: deref(r.SchoolCityCode),
		LodgedOn: r.LodgedOn, Content: r.Content, LodgedBy: r.LodgedBy, Outcome: r.Outcome, Resolution: r.Resolution,
		ResolvedAt: r.ResolvedAt, ResolvedBy: r.ResolvedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Version: int(r.Version)}
	if o.ResolvedAt != nil && o.Outcome == nil { // resolved before outcomes were recorded
		d := "dismissed"
		o.Outcome = &d
	}
	return o
}

// ObjectionGet returns one objection or ErrNotFound.
func (s *Store) ObjectionGet(ctx context.Context, id int64) (Objection, error) {
	return rowOf(ctx, s, "get objection", id, getter(s.q.CycleObjectionGet, objectionFrom))
}

// ObjectionList returns up to f.Limit objections with id > f.AfterID, by id.
func (s *Store) ObjectionList(ctx context.Context, f ObjectionFilter) ([]Objection, error) {
	rows, err := s.q.CycleObjectionList(ctx, s.scoped(), db.CycleObjectionListParams{AfterID: f.AfterID,
		Edition: f.Edition, ParticipationID: f.ParticipationID, Open: f.Open, SchoolID: f.SchoolID,
		CityCode: f.CityCode, Lim: int32(f.Limit)})
	return rowsOf("list objections", rows, err, func(r db.CycleObjectionListRow) Objection { return objectionFrom(db.CycleObjectionGetRow(r)) })
}

// ObjectionCreate records an objection against participation pid after check accepted the
// nominee's facts (the participation is locked, so a recommendation cannot slip past a
// new objection), and audits it.
func (s *Store) ObjectionCreate(ctx context.Context, a Actor, pid int64, lodgedOn time.Time, content string,
	check func(SelectionFacts) error) (Objection, error) {
	return insertRow(ctx, s, a, newRow[SelectionFacts, Objection]{op: "create objection", entity: "objection",
		check: check, get: getter(s.q.CycleObjectionGet, objectionFrom),
		facts: func(ctx context.Context, tx pgx.Tx) (SelectionFacts, error) {
			if _, err := s.q.ParticipationLock(ctx, tx, pid); err != nil {
				return SelectionFacts{}, err
			}
			return s.selectionFacts(ctx, tx, pid, StepRequest{Day: lodgedOn})
		},
		insert: func(ctx context.Context, tx pgx.Tx, f SelectionFacts) (int64, error) {
			return s.q.CycleObjectionInsert(ctx, tx, db.CycleObjectionInsertParams{ParticipationID: pid,
				SchoolID: f.Participation.SchoolID, LodgedOn: lodgedOn, Content: content, LodgedBy: actorName(a)})
		},
		audit: func(_ SelectionFacts, o Objection) AuditEntry {
			return AuditEntry{PersonID: &o.PersonID, SchoolID: &o.SchoolID, After: objectionAudit(o)}
		}})
}

// ObjectionResolve resolves an objection with an outcome and a resolution after check
// accepted the current objection; the participation is locked first (the same order as a
// step) and the change is audited as a transition.
func (s *Store) ObjectionResolve(ctx context.Context, a Actor, id int64, version *int, outcome, resolution string,
	at time.Time, check func(Objection) error) (Objection, error) {
	return updateLocked(ctx, s, a, id, version, lockedWrite[int64, Objection]{op: "resolve objection",
		entity: "objection", get: getter(s.q.CycleObjectionGet, objectionFrom),
		lock: func(ctx context.Context, q db.DBTX, id int64) (int32, error) {
			cur, err := s.q.CycleObjectionGet(ctx, q, id)
			if err != nil {
				return 0, err
			}
			if _, err := s.q.ParticipationLock(ctx, q, cur.ParticipationID); err != nil {
				return 0, err
			}
			return s.q.CycleObjectionLock(ctx, q, id)
		},
		write: func(ctx context.Context, tx pgx.Tx, cur Objection) (*Objection, error) {
			if err := check(cur); err != nil {
				return nil, err
			}
			name := a.Name
			return nil, s.q.CycleObjectionResolve(ctx, tx, db.CycleObjectionResolveParams{ID: id, Outcome: &outcome,
				Resolution: &resolution, At: &at, ResolvedBy: &name})
		},
		audit: func(before, after Objection) AuditEntry {
			return AuditEntry{Action: "transition", PersonID: &after.PersonID, SchoolID: &after.SchoolID,
				Before: objectionAudit(before), After: objectionAudit(after)}
		}})
}

func objectionAudit(o Objection) map[string]any {
	return map[string]any{"participation_id": o.ParticipationID, "lodged_on": o.LodgedOn.Format(time.DateOnly),
		"content": o.Content, "outcome": o.Outcome, "resolution": o.Resolution, "resolved_by": o.ResolvedBy}
}
