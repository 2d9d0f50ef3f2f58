package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Consent is a guardian's consent to the processing of a minor's data (PIPL art. 31: under
// 14 needs the guardian's consent).
type Consent struct {
	ID           int64      `json:"id"`
	PersonID     int64      `json:"person_id"`
	SchoolID     *int64     `json:"school_id"`
	GuardianName string     `json:"guardian_name"`
	Relationship string     `json:"relationship"`
	Method       string     `json:"method"`
	Scope        string     `json:"scope"`
	GrantedOn    time.Time  `json:"granted_on"`
	WithdrawnOn  *time.Time `json:"withdrawn_on"`
	RecordedBy   *string    `json:"recorded_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Version      int        `json:"version"`
}

func consentFrom(r db.Consent) Consent {
	return Consent{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, GuardianName: r.GuardianName,
		Relationship: r.Relationship, Method: r.Method, Scope: r.Scope, GrantedOn: r.GrantedOn,
		WithdrawnOn: r.WithdrawnOn, RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Version: int(r.Version)}
}

// ConsentInput is a consent as recorded: who gave it, how, when and for what.
type ConsentInput struct {
	GuardianName string
	Relationship string // father mother grandparent legal_guardian other
	Method       string // paper electronic in_person
	Scope        string // what the guardian agreed to, in their words
	GrantedOn    time.Time
}

// consentStateChange audits a person's consent state moving from before to after.
func (s *Store) consentStateChange(ctx context.Context, tx pgx.Tx, a Actor, personID int64, schoolID *int64,
	before, after string) error {
	if before == after {
		return nil
	}
	if err := s.q.PersonSetConsentState(ctx, tx, db.PersonSetConsentStateParams{ConsentState: after, ID: personID}); err != nil {
		return err
	}
	return s.Audit(ctx, tx, a, AuditEntry{Action: "transition", Entity: "person", EntityID: fmt.Sprint(personID),
		PersonID: &personID, SchoolID: schoolID, Before: map[string]string{"consent_state": before},
		After: map[string]string{"consent_state": after}})
}

// ConsentCreate records a consent for person personID and makes a pending or withdrawn
// person granted (a person who needs none stays not_required). Both are audited.
func (s *Store) ConsentCreate(ctx context.Context, a Actor, personID int64, in ConsentInput) (Consent, error) {
	var out Consent
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		cur, err := s.q.PersonConsentLock(ctx, tx, personID)
		if err != nil {
			return err
		}
		var by *string
		if a.Name != "" {
			by = &a.Name
		}
		r, err := s.q.ConsentInsert(ctx, tx, db.ConsentInsertParams{PersonID: personID, SchoolID: cur.SchoolID,
			GuardianName: in.GuardianName, Relationship: in.Relationship, Method: in.Method, Scope: in.Scope,
			GrantedOn: in.GrantedOn, RecordedBy: by})
		if err != nil {
			return err
		}
		out = consentFrom(r)
		if err := s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "consent", EntityID: fmt.Sprint(out.ID),
			PersonID: &personID, SchoolID: out.SchoolID, After: out}); err != nil {
			return err
		}
		next := cur.ConsentState
		if next == "pending" || next == "withdrawn" {
			next = "granted"
		}
		return s.consentStateChange(ctx, tx, a, personID, cur.SchoolID, cur.ConsentState, next)
	})
	if err != nil {
		return Consent{}, writeErr("record consent", "", err)
	}
	return out, nil
}

// ConsentList returns the consents of a person, oldest first.
func (s *Store) ConsentList(ctx context.Context, personID int64) ([]Consent, error) {
	out, err := s.consentList(ctx, s.scoped(), personID)
	if err != nil {
		return nil, mapErr("list consents", err)
	}
	return out, nil
}

// ConsentListRead is ConsentList after the scope check of PersonRead, with the read
// recorded (fields, the rows returned) in the same unit of work.
func (s *Store) ConsentListRead(ctx context.Context, a Actor, personID int64, fields []string) ([]Consent, error) {
	var out []Consent
	err := s.ReadAudited(ctx, a, AuditEntry{Action: "read", Entity: "consent", EntityID: strconv.FormatInt(personID, 10),
		PersonID: &personID, Fields: fields}, func(q db.DBTX) (int, error) {
		if err := s.requireInScope(ctx, q, personID); err != nil {
			return 0, err
		}
		var err error
		out, err = s.consentList(ctx, q, personID)
		return len(out), err
	})
	if err != nil {
		return nil, mapErr("list consents", err)
	}
	return out, nil
}

func (s *Store) consentList(ctx context.Context, q db.DBTX, personID int64) ([]Consent, error) {
	rows, err := s.q.ConsentList(ctx, q, personID)
	if err != nil {
		return nil, err
	}
	out := make([]Consent, len(rows))
	for i, r := range rows {
		out[i] = consentFrom(r)
	}
	return out, nil
}

// ConsentWithdraw records that consent id of person personID was withdrawn on date on
// (again: the first date stays) and makes the person withdrawn: their data is no longer
// processed (left out of lists, exports and detail rows; their records refuse writes).
func (s *Store) ConsentWithdraw(ctx context.Context, a Actor, personID, id int64, on time.Time) (Consent, error) {
	var out Consent
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		cur, err := s.q.PersonConsentLock(ctx, tx, personID)
		if err != nil {
			return err
		}
		if _, err := s.q.ConsentLock(ctx, tx, db.ConsentLockParams{ID: id, PersonID: personID}); err != nil {
			return err
		}
		c, err := s.q.ConsentGet(ctx, tx, id)
		if err != nil {
			return err
		}
		before := consentFrom(c)
		out = before
		if c.WithdrawnOn == nil {
			if on.Before(c.GrantedOn) {
				return &FieldError{Field: "withdrawn_on", Rule: "after_granted",
					Message: "撤回日期不能早于同意日期 / withdrawn_on cannot be before granted_on"}
			}
			r, err := s.q.ConsentWithdraw(ctx, tx, db.ConsentWithdrawParams{WithdrawnOn: &on, ID: id})
			if err != nil {
				return err
			}
			out = consentFrom(r)
			if err := s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "consent", EntityID: fmt.Sprint(id),
				PersonID: &personID, SchoolID: out.SchoolID, Before: before, After: out}); err != nil {
				return err
			}
		}
		return s.consentStateChange(ctx, tx, a, personID, cur.SchoolID, cur.ConsentState, "withdrawn")
	})
	if err != nil {
		return Consent{}, writeErr("withdraw consent", "", err)
	}
	return out, nil
}
