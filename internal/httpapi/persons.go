package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Persons (人员): one row per student or teacher for life. The identity number and phone
// numbers come in clear, are validated and protected here with the server's keys, and go
// out only masked.

func init() {
	registerConstraints(map[string]constraintField{
		"persons_id_hash_key": {http.StatusConflict, "id_number", "unique",
			"该身份证号已登记 / a person with this id_number is already recorded"},
		"persons_birth_date_range": {http.StatusBadRequest, "birth_date", "range",
			"出生日期超出范围 / birth_date is out of range"},
		"persons_id_masked_check": {http.StatusBadRequest, "id_number", "format",
			"身份证号格式无效 / id_number is not a valid identity number"},
	})
}

type personView struct {
	ID                  int64     `json:"id"`
	IDNumberMasked      string    `json:"id_number_masked"`
	Name                string    `json:"name"`
	Gender              string    `json:"gender"`
	BirthDate           string    `json:"birth_date"`
	PhoneMasked         *string   `json:"phone_masked"`
	GuardianName        *string   `json:"guardian_name"`
	GuardianPhoneMasked *string   `json:"guardian_phone_masked"`
	SchoolID            *int64    `json:"school_id"`
	SchoolCode          *string   `json:"school_code"`
	ConsentState        string    `json:"consent_state"`
	MergedInto          *int64    `json:"merged_into"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
	Version             int       `json:"version"`
}

func viewPerson(p store.Person) personView {
	return personView{ID: p.ID, IDNumberMasked: p.IDNumberMasked, Name: p.Name, Gender: p.Gender,
		BirthDate: dateString(p.BirthDate), PhoneMasked: p.PhoneMasked, GuardianName: p.GuardianName,
		GuardianPhoneMasked: p.GuardianPhoneMasked, SchoolID: p.SchoolID, SchoolCode: p.SchoolCode,
		ConsentState: p.ConsentState, MergedInto: p.MergedInto, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Version: p.Version}
}

// optional is a JSON field that remembers whether it was sent and whether it was null,
// for merge-patch bodies whose current value cannot be prefilled (secrets).
type optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// UnmarshalJSON implements json.Unmarshaler; it is called for null too.
func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// ptr returns the value as a pointer: nil when absent or null.
func (o optional[T]) ptr() *T {
	if !o.Set || o.Null {
		return nil
	}
	return &o.Value
}

// personBody is the body of POST and PATCH /persons. On PATCH every field is optional
// (absent keeps, null clears); on POST id_number and name are required and gender and
// birth_date default to what the identity number says.
type personBody struct {
	IDNumber      optional[string] `json:"id_number"`
	Name          optional[string] `json:"name"`
	Gender        optional[string] `json:"gender"`
	BirthDate     optional[string] `json:"birth_date"`
	Phone         optional[string] `json:"phone"`
	GuardianName  optional[string] `json:"guardian_name"`
	GuardianPhone optional[string] `json:"guardian_phone"`
	SchoolCode    optional[string] `json:"school_code"`
}

// idNumberMessage explains an identity-number error without echoing the number.
func idNumberMessage(err error) string {
	switch {
	case errors.Is(err, identity.ErrIDLength):
		return "身份证号必须是 18 位 / id_number must have 18 characters"
	case errors.Is(err, identity.ErrIDChars):
		return "身份证号应为 17 位数字加一位数字或 X / id_number must be 17 digits followed by a digit or X"
	case errors.Is(err, identity.ErrIDChecksum):
		return "身份证号校验位不正确（GB 11643） / id_number check digit does not match (GB 11643)"
	case errors.Is(err, identity.ErrIDBirthDate):
		return "身份证号中的出生日期无效 / id_number does not contain a valid birth date"
	}
	return "身份证号无效 / id_number is invalid"
}

// secret validates and protects a phone field: unchanged when absent, cleared when null
// or blank, replaced otherwise.
func (s *server) secret(c *checker, field string, o optional[string]) store.SecretUpdate {
	if !o.Set {
		return store.SecretUpdate{}
	}
	v := c.optional(o.ptr())
	if v == nil {
		return store.SecretUpdate{Set: true}
	}
	p, err := identity.NormalizePhone(*v)
	if err != nil {
		c.add(field, "format", fmt.Sprintf("%s 不是有效的电话号码（7 到 15 位数字） / %s is not a valid phone number (7 to 15 digits)", field, field))
		return store.SecretUpdate{}
	}
	prot := s.keys.ProtectPhone(p)
	return store.SecretUpdate{Set: true, Value: &prot}
}

// validate turns the body into a store input. cur is the person being patched, nil on create.
func (s *server) validatePerson(b personBody, cur *store.Person) (store.PersonInput, error) {
	var c checker
	var in store.PersonInput
	var id *identity.IDNumber
	if b.IDNumber.Set || cur == nil {
		raw := c.required("id_number", b.IDNumber.ptr())
		if raw != "" {
			parsed, err := identity.ParseIDNumber(raw)
			if err != nil {
				c.add("id_number", "id_number", idNumberMessage(err))
			} else {
				id = &parsed
				prot := s.keys.ProtectID(parsed)
				in.ID = &prot
			}
		}
	}
	if cur != nil {
		in.Name, in.Gender, in.BirthDate, in.GuardianName, in.SchoolCode =
			cur.Name, cur.Gender, cur.BirthDate, cur.GuardianName, cur.SchoolCode
	}
	if b.Name.Set || cur == nil {
		in.Name = c.required("name", b.Name.ptr())
		c.maxLen("name", &in.Name, 100)
	}
	switch {
	case b.Gender.Set:
		in.Gender = c.required("gender", b.Gender.ptr())
		c.enum("gender", &in.Gender, vocab.Genders.Keys()...)
	case cur == nil && id != nil:
		in.Gender = id.Gender()
	}
	switch {
	case b.BirthDate.Set:
		c.required("birth_date", b.BirthDate.ptr())
		if d := c.date("birth_date", b.BirthDate.ptr()); d != nil {
			in.BirthDate = *d
			want := in.BirthDate
			if id != nil {
				want = id.BirthDate()
			} else if cur != nil {
				want = cur.BirthDate // the stored identity number agrees with the stored birth date
			}
			if !want.Equal(*d) {
				c.add("birth_date", "id_number_agreement",
					"出生日期与身份证号不一致 / birth_date does not agree with the birth date in id_number")
			}
		}
	case id != nil:
		in.BirthDate = id.BirthDate()
	}
	if b.GuardianName.Set {
		in.GuardianName = c.optional(b.GuardianName.ptr())
		c.maxLen("guardian_name", in.GuardianName, 100)
	}
	if b.SchoolCode.Set {
		in.SchoolCode = c.optional(b.SchoolCode.ptr())
	}
	in.Phone = s.secret(&c, "phone", b.Phone)
	in.GuardianPhone = s.secret(&c, "guardian_phone", b.GuardianPhone)
	return in, c.err()
}

// listPersons is GET /persons: the persons within the caller's scope whose data may be
// processed (never one whose guardian's consent is pending or withdrawn), by id. A name in
// a URL is personal data that proxies and browsers keep: POST /persons/search takes the
// same filters in a body.
func (s *server) listPersons(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "school", "edition", "name", "birth_date")
	f := store.PersonFilter{SchoolCode: q.str("school"), Edition: q.str("edition"), NamePrefix: q.str("name"),
		BirthDate: q.date("birth_date"), Limit: q.limit() + 1}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	s.respondPersons(w, r, f)
}

// personSearch is the body of POST /persons/search: the filters of GET /persons.
type personSearch struct {
	School    *string `json:"school"`
	Edition   *string `json:"edition"`
	Name      *string `json:"name"`
	BirthDate *string `json:"birth_date"`
	Limit     *int    `json:"limit"`
	After     *string `json:"after"`
}

// searchPersons is POST /persons/search: GET /persons with its criteria in the body, so
// that a name or a birth date never sits in a URL (access logs, browser history, Referer).
func (s *server) searchPersons(w http.ResponseWriter, r *http.Request) {
	var b personSearch
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var c checker
	f := store.PersonFilter{SchoolCode: c.optional(b.School), Edition: c.optional(b.Edition),
		NamePrefix: c.optional(b.Name), BirthDate: c.date("birth_date", b.BirthDate), Limit: defaultLimit + 1}
	if b.Limit != nil {
		if *b.Limit < 1 || *b.Limit > maxLimit {
			c.add("limit", "range", fmt.Sprintf("limit 必须在 1 到 %d 之间 / limit must be between 1 and %d", maxLimit, maxLimit))
		} else {
			f.Limit = *b.Limit + 1
		}
	}
	if b.After != nil {
		if err := decodeCursor(*b.After, &f.AfterID); err != nil {
			c.add("after", "cursor", "after 不是本接口给出的游标 / after is not a cursor this API returned")
		}
	}
	if err := c.err(); err != nil {
		fail(w, r, err)
		return
	}
	s.respondPersons(w, r, f)
}

// respondPersons answers one page of persons and records the read in the audit log.
func (s *server) respondPersons(w http.ResponseWriter, r *http.Request, f store.PersonFilter) {
	rows, err := s.doors.Persons.List(r.Context(), callerFrom(r), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(p store.Person) any { return p.ID }, viewPerson)
}

func (s *server) getPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.doors.Persons.Get(r.Context(), callerFrom(r), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, p.Version, viewPerson(p))
}

func (s *server) createPerson(w http.ResponseWriter, r *http.Request) {
	var b personBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := s.validatePerson(b, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	own, err := s.principalSchoolCode(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if own != "" && in.SchoolCode == nil { // a school registers its own people
		in.SchoolCode = &own
	}
	if err := s.ownSchool(r, in.SchoolCode); err != nil {
		fail(w, r, err)
		return
	}
	// a person under 14 starts withheld for a guardian's consent: the database decides
	// (migrations/00093_consent_gate.sql), for this path and every other
	p, err := s.store.PersonCreate(r.Context(), actorFrom(r), in)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/persons/%d", p.ID), p.Version, viewPerson(p))
}

func (s *server) updatePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	cur, err := s.store.PersonGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if cur.Version != version {
		fail(w, r, store.ErrStale)
		return
	}
	var b personBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := s.validatePerson(b, &cur)
	if err != nil {
		fail(w, r, err)
		return
	}
	if b.SchoolCode.Set {
		if err := s.ownSchool(r, in.SchoolCode); err != nil {
			fail(w, r, err)
			return
		}
	}
	p, err := s.store.PersonUpdate(r.Context(), actorFrom(r), id, version, in)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, p.Version, viewPerson(p))
}

func (s *server) deletePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := s.store.PersonDelete(r.Context(), actorFrom(r), id, version); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
