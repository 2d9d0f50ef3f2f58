package person

import (
	"errors"
	"fmt"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Field is one field of a person's change: Set says it was given at all, Value nil that it
// is cleared (JSON null). On Create every field counts as given.
type Field struct {
	Set   bool
	Value *string
}

// Input is a person as a path hands it in, in clear and unparsed: the identity number and
// phones are validated and protected by the door's keys, never by the path. On Update an
// unset field keeps its value; on Create id_number and name are required, and gender and
// birth_date default to what the identity number says.
type Input struct {
	IDNumber      Field
	Name          Field
	Gender        Field
	BirthDate     Field
	Phone         Field
	GuardianName  Field
	GuardianPhone Field
	SchoolCode    Field
}

// ForbiddenError is a write the caller's role may make in general but not with these
// values (a school operator naming another school). It matches access.ErrForbidden; the
// message, in Chinese and English, says why.
type ForbiddenError struct{ Message string }

func (e *ForbiddenError) Error() string { return "person: forbidden: " + e.Message }

// Unwrap makes a ForbiddenError an access.ErrForbidden.
func (e *ForbiddenError) Unwrap() error { return access.ErrForbidden }

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

// secret validates and protects a phone field: unchanged when unset, cleared when null or
// blank, replaced otherwise.
func (s *Service) secret(c *check.Fields, field string, f Field) store.SecretUpdate {
	if !f.Set {
		return store.SecretUpdate{}
	}
	v := c.Optional(f.Value)
	if v == nil {
		return store.SecretUpdate{Set: true}
	}
	p, err := identity.NormalizePhone(*v)
	if err != nil {
		c.Add(field, "format", fmt.Sprintf("%s 不是有效的电话号码（7 到 15 位数字） / %s is not a valid phone number (7 to 15 digits)", field, field))
		return store.SecretUpdate{}
	}
	prot := s.keys.ProtectPhone(p)
	return store.SecretUpdate{Set: true, Value: &prot}
}

// validate turns b into the store's input, the identity number and phones protected. cur
// is the person being changed, nil on create. Every invalid field is reported, as
// *access.FieldError joined.
func (s *Service) validate(b Input, cur *Person) (store.PersonInput, error) {
	var c check.Fields
	var out store.PersonInput
	var id *identity.IDNumber
	val := func(f Field) string {
		if f.Value == nil {
			return ""
		}
		return *f.Value
	}
	if b.IDNumber.Set || cur == nil {
		if raw := c.Required("id_number", val(b.IDNumber)); raw != "" {
			parsed, err := identity.ParseIDNumber(raw)
			if err != nil {
				c.Add("id_number", "id_number", idNumberMessage(err))
			} else {
				id = &parsed
				prot := s.keys.ProtectID(parsed)
				out.ID = &prot
			}
		}
	}
	if cur != nil {
		out.Name, out.Gender, out.BirthDate, out.GuardianName, out.SchoolCode =
			cur.Name, cur.Gender, cur.BirthDate, cur.GuardianName, cur.SchoolCode
	}
	if b.Name.Set || cur == nil {
		out.Name = c.Required("name", val(b.Name))
		c.MaxLen("name", &out.Name, 100)
	}
	switch {
	case b.Gender.Set:
		out.Gender = c.Required("gender", val(b.Gender))
		c.Enum("gender", &out.Gender, vocab.Genders.Keys()...)
	case cur == nil && id != nil:
		out.Gender = id.Gender()
	}
	switch {
	case b.BirthDate.Set:
		c.Required("birth_date", val(b.BirthDate))
		if d := c.Date("birth_date", val(b.BirthDate)); d != nil {
			out.BirthDate = *d
			want := out.BirthDate
			if id != nil {
				want = id.BirthDate()
			} else if cur != nil {
				want = cur.BirthDate // the stored identity number agrees with the stored birth date
			}
			if !want.Equal(*d) {
				c.Add("birth_date", "id_number_agreement",
					"出生日期与身份证号不一致 / birth_date does not agree with the birth date in id_number")
			}
		}
	case id != nil:
		out.BirthDate = id.BirthDate()
	}
	if b.GuardianName.Set {
		out.GuardianName = c.Optional(b.GuardianName.Value)
		c.MaxLen("guardian_name", out.GuardianName, 100)
	}
	if b.SchoolCode.Set {
		out.SchoolCode = c.Optional(b.SchoolCode.Value)
	}
	out.Phone = s.secret(&c, "phone", b.Phone)
	out.GuardianPhone = s.secret(&c, "guardian_phone", b.GuardianPhone)
	return out, c.Err()
}
