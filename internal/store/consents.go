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
	ID           int64
	PersonID     int64
	SchoolID     *int64
	GuardianName string
	Relationship string
	Method       string
	Scope        string
	GrantedOn    time.Time
	WithdrawnOn  *time.Time
	RecordedBy   *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

func consentFrom(r db.Consent) Consent {
	return Consent{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, GuardianName: r.GuardianName,
		Relationship: r.Relationship, Method: r.Method, Scope: r.Scope, GrantedOn: r.GrantedOn,
		WithdrawnOn: r.WithdrawnOn, RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Version: int(r.Version)}
}

// consentAudit is a consent as the audit log shows it.
func consentAudit(c Consent) map[string]any {
	return map[string]any{"id": c.ID, "person_id": c.PersonID, "school_id": c.SchoolID,
		"guardian_name": c.GuardianName, "relationship": c.Relationship, "method": c.Method, "scope": c.Scope,
		"granted_on": c.GrantedOn, "withdrawn_on": c.WithdrawnOn, "recorded_by": c.RecordedBy,
		"created_at": c.CreatedAt, "updated_at": c.UpdatedAt, "version": c.Version}
}

// ConsentInput is a consent as recorded: who gave it, how, when and for what.
type ConsentInput struct {
	GuardianName string
	Relationship string // father mother grandparent legal_guardian other
	Method       string // paper electronic in_person
	Scope        string // what the guardian agreed to, in their words
	GrantedOn    time.Time
}

// consentWrite runs write on the consents of person personID in one transaction, the
// person's row locked, then moves the person's consent state to the one next says
// (from the state as locked), auditing the change; write audits its own row. op names the
// write in errors.
func (s *Store) consentWrite(ctx context.Context, a Actor, personID int64, op string,
	write func(tx pgx.Tx, schoolID *int64) (Consent, error), next func(state string) string) (Consent, error) {
	var out Consent
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		cur, err := s.q.PersonConsentLock(ctx, tx, personID)
		if err != nil {
			return err
		}
		if out, err = write(tx, cur.SchoolID); err != nil {
			return err
		}
		after := next(cur.ConsentState)
		if cur.ConsentState == after {
			return nil
		}
		if err := s.q.PersonSetConsentState(ctx, tx, db.PersonSetConsentStateParams{ConsentState: after, ID: personID}); err != nil {
			return err
		}
		return s.Audit(ctx, tx, a, AuditEntry{Action: "transition", Entity: "person", EntityID: fmt.Sprint(personID),
			PersonID: &personID, SchoolID: cur.SchoolID, Before: map[string]string{"consent_state": cur.ConsentState},
			After: map[string]string{"consent_state": after}})
	})
	if err != nil {
		return Consent{}, writeErr(op, "", err)
	}
	return out, nil
}

// ConsentCreate records a consent for person personID and makes a pending or withdrawn
// person granted (a person who needs none stays not_required). Both are audited.
func (s *Store) ConsentCreate(ctx context.Context, a Actor, personID int64, in ConsentInput) (Consent, error) {
	return s.consentWrite(ctx, a, personID, "record consent", func(tx pgx.Tx, schoolID *int64) (Consent, error) {
		var by *string
		if a.Name != "" {
			by = &a.Name
		}
		r, err := s.q.ConsentInsert(ctx, tx, db.ConsentInsertParams{PersonID: personID, SchoolID: schoolID,
			GuardianName: in.GuardianName, Relationship: in.Relationship, Method: in.Method, Scope: in.Scope,
			GrantedOn: in.GrantedOn, RecordedBy: by})
		if err != nil {
			return Consent{}, err
		}
		out := consentFrom(r)
		return out, s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "consent", EntityID: fmt.Sprint(out.ID),
			PersonID: &personID, SchoolID: out.SchoolID, After: consentAudit(out)})
	}, func(state string) string {
		if state == "pending" || state == "withdrawn" {
			return "granted"
		}
		return state
	})
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
	return s.consentWrite(ctx, a, personID, "withdraw consent", func(tx pgx.Tx, _ *int64) (Consent, error) {
		if _, err := s.q.ConsentLock(ctx, tx, db.ConsentLockParams{ID: id, PersonID: personID}); err != nil {
			return Consent{}, err
		}
		c, err := s.q.ConsentGet(ctx, tx, id)
		if err != nil {
			return Consent{}, err
		}
		before := consentFrom(c)
		if c.WithdrawnOn != nil {
			return before, nil // withdrawn again: the first date stays
		}
		if on.Before(c.GrantedOn) {
			return Consent{}, &FieldError{Field: "withdrawn_on", Rule: "after_granted",
				Message: "撤回日期不能早于同意日期 / withdrawn_on cannot be before granted_on"}
		}
		r, err := s.q.ConsentWithdraw(ctx, tx, db.ConsentWithdrawParams{WithdrawnOn: &on, ID: id})
		if err != nil {
			return Consent{}, err
		}
		out := consentFrom(r)
		return out, s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "consent", EntityID: fmt.Sprint(id),
			PersonID: &personID, SchoolID: out.SchoolID, Before: consentAudit(before), After: consentAudit(out)})
	}, func(string) string { return "withdrawn" })
}
