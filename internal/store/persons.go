package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
	"talentdb/internal/identity"
)

// Person is a student or teacher as the store hands it out: identifiers only in their
// masked form, never the ciphertexts. It is safe to log, to audit and to serialise.
type Person struct {
	ID                  int64
	IDNumberMasked      string
	Name                string
	Gender              string
	BirthDate           time.Time
	PhoneMasked         *string
	GuardianName        *string
	GuardianPhoneMasked *string
	SchoolID            *int64
	SchoolCode          *string
	ConsentState        string
	MergedInto          *int64
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Version             int
}

// SecretUpdate says what to do with a protected value on a write: leave it (Set false),
// clear it (Set true, Value nil) or replace it.
type SecretUpdate struct {
	Set   bool
	Value *identity.Protected
}

// PersonInput is everything a client may set on a person. The identity number and the
// phones arrive already protected (hashed, sealed, masked) by the caller's keys.
type PersonInput struct {
	// ID is the protected identity number; required on create, nil on update for "unchanged".
	ID            *identity.Protected
	Name          string
	Gender        string
	BirthDate     time.Time
	Phone         SecretUpdate
	GuardianName  *string
	GuardianPhone SecretUpdate
	SchoolCode    *string
	// ConsentState is the consent state of a new person (default not_required); a person
	// under 14 created through the API starts pending. Ignored on update.
	ConsentState string
}

// PersonFilter selects one page of persons. Nil fields do not filter.
type PersonFilter struct {
	SchoolCode *string
	Edition    *string
	NamePrefix *string
	BirthDate  *time.Time
	AfterID    int64
	Limit      int
}

func personFrom(r db.PersonGetRow) Person {
	return Person{ID: r.ID, IDNumberMasked: r.IDMasked, Name: r.Name, Gender: r.Gender, BirthDate: r.BirthDate,
		PhoneMasked: r.PhoneMasked, GuardianName: r.GuardianName, GuardianPhoneMasked: r.GuardianPhoneMasked,
		SchoolID: r.SchoolID, SchoolCode: r.SchoolCode, ConsentState: r.ConsentState, MergedInto: r.MergedInto,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// personAudit is a person as the audit log (and so the timeline's "from → to") shows it:
// masked identifiers only.
func personAudit(p Person) map[string]any {
	return map[string]any{"id": p.ID, "id_number_masked": p.IDNumberMasked, "name": p.Name, "gender": p.Gender,
		"birth_date": p.BirthDate, "phone_masked": p.PhoneMasked, "guardian_name": p.GuardianName,
		"guardian_phone_masked": p.GuardianPhoneMasked, "school_id": p.SchoolID, "school_code": p.SchoolCode,
		"consent_state": p.ConsentState, "merged_into": p.MergedInto, "created_at": p.CreatedAt,
		"updated_at": p.UpdatedAt, "version": p.Version}
}

// PersonGet returns one person or ErrNotFound.
func (s *Store) PersonGet(ctx context.Context, id int64) (Person, error) {
	r, err := s.q.PersonGet(ctx, s.scoped(), id)
	if err != nil {
		return Person{}, mapErr("get person", err)
	}
	if sc, _ := s.ScopeOf(ctx); Withheld(sc, r.ConsentState) {
		return Person{}, fmt.Errorf("store: get person: %w", ErrNotFound)
	}
	return personFrom(r), nil
}

// PersonList returns up to f.Limit persons with id > f.AfterID, by id: only those within
// the caller's scope, and never one whose guardian's consent is pending or withdrawn.
func (s *Store) PersonList(ctx context.Context, f PersonFilter) ([]Person, error) {
	out, err := s.personList(ctx, s.scoped(), f)
	if err != nil {
		return nil, mapErr("list persons", err)
	}
	return out, nil
}

// personList runs the list on q: the scope's own index drives a school's, city's or
// mentor's list (PersonListScoped), the id order the province's.
func (s *Store) personList(ctx context.Context, q db.DBTX, f PersonFilter) ([]Person, error) {
	sf := s.listScope(ctx)
	if sf.deny {
		return []Person{}, nil
	}
	var rows []db.PersonListRow
	var err error
	if sf.schoolID == nil && sf.cityCode == nil && sf.mentorID == nil {
		rows, err = s.q.PersonList(ctx, q, db.PersonListParams{AfterID: f.AfterID, SchoolCode: f.SchoolCode,
			NamePrefix: f.NamePrefix, BirthDate: f.BirthDate, Edition: f.Edition, Lim: int32(f.Limit)})
	} else {
		var sr []db.PersonListScopedRow
		sr, err = s.q.PersonListScoped(ctx, q, db.PersonListScopedParams{AfterID: f.AfterID,
			SchoolCode: f.SchoolCode, NamePrefix: f.NamePrefix, BirthDate: f.BirthDate, Edition: f.Edition,
			Lim: int32(f.Limit), ScopeSchoolID: sf.schoolID, ScopeCityCode: sf.cityCode, ScopeMentorID: sf.mentorID})
		for _, r := range sr {
			rows = append(rows, db.PersonListRow(r))
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]Person, len(rows))
	for i, r := range rows {
		out[i] = personFrom(db.PersonGetRow(r))
	}
	return out, nil
}

func protectedParts(p *identity.Protected) (cipher []byte, masked *string) {
	if p == nil {
		return nil, nil
	}
	m := p.Masked
	return p.Cipher, &m
}

// PersonCreate inserts a person and audits it. A person whose identity number is already
// recorded is a *ConstraintError on persons_id_hash_key (ErrConflict).
func (s *Store) PersonCreate(ctx context.Context, a Actor, in PersonInput) (Person, error) {
	if in.ID == nil {
		return Person{}, &FieldError{Field: "id_number", Rule: "required", Message: "身份证号必填 / id_number is required"}
	}
	return createTx(ctx, s, "create person", func(tx pgx.Tx) (Person, error) {
		schoolID, err := s.optionalSchool(ctx, tx, in.SchoolCode)
		if err != nil {
			return Person{}, err
		}
		phoneC, phoneM := protectedParts(in.Phone.Value)
		gPhoneC, gPhoneM := protectedParts(in.GuardianPhone.Value)
		id, err := s.q.PersonInsert(ctx, tx, db.PersonInsertParams{IDHash: in.ID.Hash, IDCipher: in.ID.Cipher,
			IDMasked: in.ID.Masked, Name: in.Name, Gender: in.Gender, BirthDate: in.BirthDate,
			PhoneCipher: phoneC, PhoneMasked: phoneM, GuardianName: in.GuardianName,
			GuardianPhoneCipher: gPhoneC, GuardianPhoneMasked: gPhoneM, SchoolID: schoolID,
			ConsentState: nonEmpty(in.ConsentState)})
		if err != nil {
			return Person{}, err
		}
		r, err := s.q.PersonGet(ctx, tx, id)
		if err != nil {
			return Person{}, err
		}
		out := personFrom(r)
		// a new number resembling a person of the same school goes on the review queue
		if _, err := s.flagSimilarPerson(ctx, tx, id, schoolID); err != nil {
			return Person{}, err
		}
		return out, s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "person", EntityID: fmt.Sprint(id),
			PersonID: &out.ID, SchoolID: out.SchoolID, After: personAudit(out)})
	})
}

// PersonUpdate replaces the person's fields (the protected ones as in.ID, in.Phone and
// in.GuardianPhone say), provided the person is still at version, and audits the change.
func (s *Store) PersonUpdate(ctx context.Context, a Actor, id int64, version int, in PersonInput) (Person, error) {
	return updateLocked(ctx, s, a, id, &version, lockedWrite[int64, Person]{op: "update person", entity: "person",
		lock: s.q.PersonLock, get: getter(s.q.PersonGet, personFrom),
		write: func(ctx context.Context, tx pgx.Tx, _ Person) (*Person, error) {
			schoolID, err := s.optionalSchool(ctx, tx, in.SchoolCode)
			if err != nil {
				return nil, err
			}
			p := db.PersonUpdateParams{ID: id, Name: in.Name, Gender: in.Gender, BirthDate: in.BirthDate,
				GuardianName: in.GuardianName, SchoolID: schoolID,
				SetPhone: in.Phone.Set, SetGuardianPhone: in.GuardianPhone.Set}
			if in.ID != nil {
				p.SetID, p.IDHash, p.IDCipher, p.IDMasked = true, in.ID.Hash, in.ID.Cipher, in.ID.Masked
			}
			p.PhoneCipher, p.PhoneMasked = protectedParts(in.Phone.Value)
			p.GuardianPhoneCipher, p.GuardianPhoneMasked = protectedParts(in.GuardianPhone.Value)
			return nil, s.q.PersonUpdate(ctx, tx, p)
		},
		audit: func(before, after Person) AuditEntry {
			return AuditEntry{Action: "update", PersonID: &after.ID, SchoolID: after.SchoolID, Before: personAudit(before),
				After: personAudit(after)}
		}})
}

// PersonDelete deletes a person nothing refers to (no participation, award, destination …;
// the person's school-year history goes with them); otherwise a *DeleteBlockedError.
// When version is not nil the person must still be at that version.
func (s *Store) PersonDelete(ctx context.Context, a Actor, id int64, version *int) error {
	return deleteRow(ctx, s, a, "person", id, version, s.q.PersonLock, getter(s.q.PersonGet, personFrom),
		s.q.PersonDelete, func(before Person) AuditEntry {
			return AuditEntry{PersonID: &before.ID, SchoolID: before.SchoolID, Before: personAudit(before)}
		})
}

func (s *Store) optionalSchool(ctx context.Context, q db.DBTX, code *string) (*int64, error) {
	if code == nil {
		return nil, nil
	}
	id, err := s.organizationByCode(ctx, q, "school_code", *code, "school")
	if err != nil {
		return nil, err
	}
	return &id, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
