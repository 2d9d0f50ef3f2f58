package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// The first fence of authorisation as the store offers it: explicit scope predicates (not
// row-level security, which is the second) for the HTTP layer's checks and the lists.

// scopeFilter is the explicit WHERE of a list in the caller's scope: nil fields do not
// filter (office, analyst); deny is true when the scope may list nothing (auditor, none).
type scopeFilter struct {
	schoolID *int64
	cityCode *string
	mentorID *int64
	deny     bool
}

// listScope returns the explicit filter of ctx's scope.
func (s *Store) listScope(ctx context.Context) scopeFilter {
	sc, ok := s.ScopeOf(ctx)
	if !ok {
		return scopeFilter{deny: true}
	}
	switch sc.Kind {
	case ScopeOffice, ScopeAnalyst:
		return scopeFilter{}
	case ScopeSchool:
		return scopeFilter{schoolID: &sc.SchoolID}
	case ScopeCity:
		return scopeFilter{cityCode: &sc.CityCode}
	case ScopeMentor:
		return scopeFilter{mentorID: &sc.MentorID}
	}
	return scopeFilter{deny: true}
}

// scopeArgs are a scope as the check queries take it.
func scopeArgs(sc Scope) (kind string, school *int64, city *string, mentor *int64) {
	if !sc.Valid() {
		return "", nil, nil, nil
	}
	kind = string(sc.Kind)
	if sc.SchoolID != 0 {
		school = &sc.SchoolID
	}
	if sc.CityCode != "" {
		city = &sc.CityCode
	}
	if sc.MentorID != 0 {
		mentor = &sc.MentorID
	}
	return kind, school, city, mentor
}

// Access is what an authorisation check learns about a person: whether the scope covers
// them and their consent state (not_required, pending, granted, withdrawn).
type Access struct {
	PersonID     int64
	InScope      bool
	ConsentState string
}

// Withheld reports whether a person in consentState is withheld from scope sc even by id:
// a guardian's withdrawal withholds them from schools, cities and mentors (the office and
// its analysts still see the record, to record a new consent or delete it). The same rule
// is in queries/scope.sql for the HTTP layer's checks.
func Withheld(sc Scope, consentState string) bool {
	return consentState == "withdrawn" && (sc.Kind == ScopeSchool || sc.Kind == ScopeCity || sc.Kind == ScopeMentor)
}

// PersonSecrets are the sealed identifiers of a person (nil when not recorded).
type PersonSecrets struct {
	IDCipher, PhoneCipher, GuardianPhoneCipher []byte
}

// PersonReveal returns the sealed identifiers of person id and, in the same transaction,
// records the reveal in the audit log: who, which fields, why. Without the audit row there
// is no reveal.
func (s *Store) PersonReveal(ctx context.Context, a Actor, id int64, fields []string, reason string) (PersonSecrets, error) {
	var out PersonSecrets
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.PersonSecrets(ctx, tx, id)
		if err != nil {
			return err
		}
		out = PersonSecrets{IDCipher: r.IDCipher, PhoneCipher: r.PhoneCipher, GuardianPhoneCipher: r.GuardianPhoneCipher}
		one := int32(1)
		return s.Audit(ctx, tx, a, AuditEntry{Action: "reveal", Entity: "person", EntityID: fmt.Sprint(id),
			PersonID: &id, Fields: fields, RowCount: &one, After: map[string]string{"reason": reason}})
	})
	if err != nil {
		return PersonSecrets{}, mapErr("reveal person", err)
	}
	return out, nil
}

// AuditRecord is one row of the audit log as the auditor reads it.
type AuditRecord struct {
	ID        int64
	At        time.Time
	Actor     string
	ActorRole *string
	Action    string
	Entity    string
	EntityID  *string
	PersonID  *int64
	SchoolID  *int64
	Before    []byte // JSON or nil
	After     []byte // JSON or nil
	Fields    []string
	RowCount  *int32
	RequestID *string
	IP        *string
}

func auditRecordFrom(r db.AuditLog) AuditRecord {
	var ip *string
	if r.Ip != nil {
		s := r.Ip.String()
		ip = &s
	}
	return AuditRecord{ID: r.ID, At: r.At, Actor: r.Actor, ActorRole: r.ActorRole, Action: r.Action, Entity: r.Entity,
		EntityID: r.EntityID, PersonID: r.PersonID, SchoolID: r.SchoolID, Before: r.Before, After: r.After,
		Fields: r.Fields, RowCount: r.RowCount, RequestID: r.RequestID, IP: ip}
}

// AuditFilter selects one page of the audit log, newest first. Nil fields do not filter;
// From is inclusive and To exclusive; BeforeID is the keyset cursor (0: from the newest).
type AuditFilter struct {
	Actor, Entity, Action *string
	PersonID              *int64
	From, To              *time.Time
	BeforeID              int64
	Limit                 int
}

// AuditList returns up to f.Limit audit rows with id < f.BeforeID, newest first. Row-level
// security shows them only to the office and the auditor.
func (s *Store) AuditList(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	out, err := s.auditList(ctx, s.scoped(), f)
	if err != nil {
		return nil, mapErr("list audit log", err)
	}
	return out, nil
}

// auditExportSQL reads the rows of the audit log that match a filter (the list's, without
// its cursor), oldest first; it is streamed row by row (a year of audit rows need not fit
// in memory), so it is not a sqlc :many query. Its predicates are AuditCount's.
const auditExportSQL = `SELECT id, at, actor, actor_role, action, entity, entity_id, person_id, school_id,
       before, after, fields, row_count, request_id, ip
FROM audit_log
WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
  AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR entity = $4)
  AND ($5::bigint IS NULL OR person_id = $5) AND ($6::text IS NULL OR action = $6)
ORDER BY id`

// AuditExport calls fn with every audit row matching f (f.BeforeID and f.Limit aside),
// oldest first, in one read-only transaction (a consistent snapshot), and returns how
// many there were. An error of fn stops the export and is returned.
func (s *Store) AuditExport(ctx context.Context, f AuditFilter, fn func(AuditRecord) error) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, auditExportSQL, f.From, f.To, f.Actor, f.Entity, f.PersonID, f.Action)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r db.AuditLog
			if err := rows.Scan(&r.ID, &r.At, &r.Actor, &r.ActorRole, &r.Action, &r.Entity, &r.EntityID, &r.PersonID,
				&r.SchoolID, &r.Before, &r.After, &r.Fields, &r.RowCount, &r.RequestID, &r.Ip); err != nil {
				return err
			}
			if err := fn(auditRecordFrom(r)); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	})
	if err != nil {
		return 0, mapErr("export audit log", err)
	}
	return n, nil
}
