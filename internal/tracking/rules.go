package tracking

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// RuleError is input that is well formed but breaks a rule of the domain: a date in the
// future or before the person's birth, an overlapping career move, a contact after an
// opt-out, a verification step that is not allowed. Field is the public input key; Rule a
// stable code; Message is in Chinese and English. The API answers it with 422.
type RuleError = access.RuleError

// ErrDeleted: the record is soft-deleted; it must be restored before it is changed. It
// matches store.ErrConflict.
var ErrDeleted = fmt.Errorf("记录已删除，请先恢复 / the record is deleted; restore it first: %w", store.ErrConflict)

func day(t time.Time) string { return t.Format(time.DateOnly) }

// CheckDate refuses a tracked date after today or before the person's birth.
func CheckDate(field string, d time.Time, p store.TrackedPerson, today time.Time) error {
	if d.After(today) {
		return &RuleError{Field: field, Rule: "not_future", Message: fmt.Sprintf(
			"%s 不能晚于今天（%s） / %s cannot be after today (%s)", field, day(today), field, day(today))}
	}
	if d.Before(p.BirthDate) {
		return &RuleError{Field: field, Rule: "after_birth", Message: fmt.Sprintf(
			"%s 早于该人员的出生日期（%s） / %s is before the person's birth date (%s)",
			field, day(p.BirthDate), field, day(p.BirthDate))}
	}
	return nil
}

// CheckVerification allows reported → verified | rejected, and the office's explicit
// re-open verified | rejected → reported. Everything else is a RuleError on "state".
func CheckVerification(from, to string, office bool) error {
	switch {
	case from == "reported" && (to == "verified" || to == "rejected"):
		return nil
	case from != "reported" && to == "reported":
		if office {
			return nil
		}
		return &RuleError{Field: "state", Rule: "office_only", Message: fmt.Sprintf(
			"只有管理办公室可以重新打开已%s的获奖 / only the office may re-open a %s award",
			vocab.Verifications.Zh(from), from)}
	default:
		return &RuleError{Field: "state", Rule: "transition", Message: fmt.Sprintf(
			"获奖核实状态不能从 %s 变为 %s / an award's verification cannot go from %s to %s", from, to, from, to)}
	}
}

// materialChange reports whether an edit changes what was verified: the competition,
// level, rank or date of the award.
func materialChange(a, b Award) bool {
	return a.Competition != b.Competition || a.Level != b.Level || !a.AwardedOn.Equal(b.AwardedOn) ||
		deref(a.Rank) != deref(b.Rank)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// CheckInterval applies the career-move overlap rule to a move [start, end) (end nil: not
// given, the move runs until the next one) against the person's other live moves: its
// start may not lie inside another's explicit interval, and its explicit interval may not
// contain another's start. Starts inside a linked interval are fine: they re-link.
func CheckInterval(start time.Time, end *time.Time, others []store.Interval) error {
	if end != nil && !end.After(start) {
		return &RuleError{Field: "ended_on", Rule: "after_start", Message: fmt.Sprintf(
			"ended_on 必须晚于 started_on（%s） / ended_on must be after started_on (%s)", day(start), day(start))}
	}
	for _, o := range others {
		if o.Explicit && o.EndedOn != nil && !start.Before(o.StartedOn) && start.Before(*o.EndedOn) {
			return &RuleError{Field: "started_on", Rule: "overlap", Message: fmt.Sprintf(
				"与 %s 至 %s 的工作动向（id %d）重叠 / overlaps the career move %d from %s to %s",
				day(o.StartedOn), day(*o.EndedOn), o.ID, o.ID, day(o.StartedOn), day(*o.EndedOn))}
		}
		if end != nil && o.StartedOn.After(start) && o.StartedOn.Before(*end) {
			return &RuleError{Field: "ended_on", Rule: "overlap", Message: fmt.Sprintf(
				"该区间包含 %s 开始的工作动向（id %d） / the interval contains the career move %d starting %s",
				day(o.StartedOn), o.ID, o.ID, day(o.StartedOn))}
		}
	}
	return nil
}

// CheckFollowUp applies the opt-out rule to a follow-up dated on with outcome, against the
// person's other live follow-ups: nothing may be dated after an opt-out, and an opt-out may
// not be dated before a contact already recorded. (The opt-out itself is left out of b
// when it is the one being corrected, so correcting it is always allowed.)
func CheckFollowUp(on time.Time, outcome string, b store.OptOutBounds) error {
	if b.FirstOptOut != nil && on.After(*b.FirstOptOut) {
		return &RuleError{Field: "contacted_on", Rule: "opted_out", Message: fmt.Sprintf(
			"该人员已于 %s 表示不再联系，之后不能再记录联系 / the person opted out on %s: no contact may be recorded after it",
			day(*b.FirstOptOut), day(*b.FirstOptOut))}
	}
	if outcome == "opted_out" && b.LastContact != nil && b.LastContact.After(on) {
		return &RuleError{Field: "contacted_on", Rule: "later_contact", Message: fmt.Sprintf(
			"已有 %s 的联系记录，不再联系不能早于它 / a contact on %s is recorded: an opt-out cannot be dated before it",
			day(*b.LastContact), day(*b.LastContact))}
	}
	return nil
}

// naturalKeyField names, per entity, the field a duplicate collides on.
var naturalKeyField = map[string]string{"award": "competition", "destination": "started_on",
	"career_move": "started_on", "follow_up": "contacted_on"}

var entityZh = map[string]string{"award": "获奖", "destination": "毕业去向", "career_move": "工作动向",
	"follow_up": "跟踪联系"}

// Duplicate is what a caller is told of a duplicate: the field it collides on and a
// message naming the record already there, in Chinese and English.
func Duplicate(e *DuplicateError) (field, message string) {
	return naturalKeyField[e.Entity], fmt.Sprintf("该%s已记录（id %d），不能重复 / the same %s is already recorded (id %d)",
		entityZh[e.Entity], e.ExistingID, strings.ReplaceAll(e.Entity, "_", " "), e.ExistingID)
}

// IsRule reports whether err is a RuleError, and returns it.
func IsRule(err error) (*RuleError, bool) {
	var re *RuleError
	ok := errors.As(err, &re)
	return re, ok
}
