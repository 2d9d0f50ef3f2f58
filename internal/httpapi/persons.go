package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"talentdb/internal/person"
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

// personView is a person as the API shows it: identifiers masked, the birth date as a
// date (last, where the API has always put it).
type personView struct {
	ID                  int64   `json:"id"`
	IDNumberMasked      string  `json:"id_number_masked"`
	Name                string  `json:"name"`
	Gender              string  `json:"gender"`
	PhoneMasked         *string `json:"phone_masked"`
	GuardianName        *string `json:"guardian_name"`
	GuardianPhoneMasked *string `json:"guardian_phone_masked"`
	SchoolID            *int64  `json:"school_id"`
	SchoolCode          *string `json:"school_code"`
	ConsentState        string  `json:"consent_state"`
	MergedInto          *int64  `json:"merged_into"`
	stamps
	BirthDate string `json:"birth_date"`
}

func viewPerson(p person.Person) personView {
	return personView{ID: p.ID, IDNumberMasked: p.IDNumberMasked, Name: p.Name, Gender: p.Gender,
		PhoneMasked: p.PhoneMasked, GuardianName: p.GuardianName, GuardianPhoneMasked: p.GuardianPhoneMasked,
		SchoolID: p.SchoolID, SchoolCode: p.SchoolCode, ConsentState: p.ConsentState, MergedInto: p.MergedInto,
		stamps: stamps{p.CreatedAt, p.UpdatedAt, p.Version}, BirthDate: dateString(p.BirthDate)}
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

// input is the body as the person door takes it: a field absent from the JSON is unset,
// null is set and cleared.
func (b personBody) input() person.Input {
	f := func(o optional[string]) person.Field { return person.Field{Set: o.Set, Value: o.ptr()} }
	return person.Input{IDNumber: f(b.IDNumber), Name: f(b.Name), Gender: f(b.Gender), BirthDate: f(b.BirthDate),
		Phone: f(b.Phone), GuardianName: f(b.GuardianName), GuardianPhone: f(b.GuardianPhone),
		SchoolCode: f(b.SchoolCode)}
}

// failPerson answers the errors of the person door: a school operator naming another
// school is 403 with the reason; the rest as fail does.
func failPerson(w http.ResponseWriter, r *http.Request, err error) {
	if fe := (*person.ForbiddenError)(nil); errors.As(err, &fe) {
		err = newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden", fe.Message)
	}
	fail(w, r, err)
}

// listPersons is GET /persons: the persons within the caller's scope whose data may be
// processed (never one whose guardian's consent is pending or withdrawn), by id. A name in
// a URL is personal data that proxies and browsers keep: POST /persons/search takes the
// same filters in a body.
func (s *server) listPersons(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "school", "edition", "name", "birth_date")
	f := person.Filter{SchoolCode: q.str("school"), Edition: q.str("edition"), NamePrefix: q.str("name"),
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
	f := person.Filter{SchoolCode: c.optional(b.School), Edition: c.optional(b.Edition),
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
func (s *server) respondPersons(w http.ResponseWriter, r *http.Request, f person.Filter) {
	rows, err := s.doors.Persons.List(r.Context(), callerFrom(r), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(p person.Person) any { return p.ID }, viewPerson)
}

func (s *server) getPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	var p person.Person
	if err == nil {
		p, err = s.doors.Persons.Get(r.Context(), callerFrom(r), id)
	}
	answerPerson(w, r, p, err)
}

// answerPerson answers the person a door returned with its version, or the door's error.
func answerPerson(w http.ResponseWriter, r *http.Request, p person.Person, err error) {
	if err != nil {
		failPerson(w, r, err)
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
	p, err := s.doors.Persons.Create(r.Context(), callerFrom(r), b.input())
	if err != nil {
		failPerson(w, r, err)
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/persons/%d", p.ID), p.Version, viewPerson(p))
}

// updatePerson is a merge patch of the person at the If-Match version: the body is
// decoded once the door has checked the version.
func (s *server) updatePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	var version int
	if err == nil {
		version, err = requireIfMatch(r)
	}
	var p person.Person
	if err == nil {
		p, err = s.doors.Persons.Update(r.Context(), callerFrom(r), id, version, func(person.Person) (person.Input, error) {
			var b personBody
			err := s.decode(w, r, &b)
			return b.input(), err
		})
	}
	answerPerson(w, r, p, err)
}

func (s *server) deletePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	var version *int
	if err == nil {
		version, err = optionalIfMatch(r)
	}
	if err == nil {
		err = s.doors.Persons.Delete(r.Context(), callerFrom(r), id, version)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
