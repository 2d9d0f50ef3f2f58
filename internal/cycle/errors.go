package cycle

import (
	"errors"
	"fmt"

	"talentdb/internal/access"
)

// RuleError is input that is well formed but breaks a rule of the cycle: nominating
// without an approved application, an ineligible grade, recommending while the notice
// runs or with an open objection, a step that does not follow from the current status…
// Field is the public input key, Rule a stable code (docs/cycle.md lists them), Message
// Chinese and English. The API answers it with 422.
type RuleError = access.RuleError

func rule(field, code, format string, args ...any) *RuleError {
	return &RuleError{Field: field, Rule: code, Message: fmt.Sprintf(format, args...)}
}

// ForbiddenError is a step only the office may take (admitting, rejecting a recommended
// nominee, reviewing an application) asked by someone else. The API answers it with 403.
type ForbiddenError struct{ Message string }

func (e *ForbiddenError) Error() string { return "cycle: forbidden: " + e.Message }

func officeOnly(what string) *ForbiddenError {
	return &ForbiddenError{Message: "只有管理办公室可以" + what + " / only the office may " + englishOf[what]}
}

var englishOf = map[string]string{
	"录取":      "admit a nominee",
	"否决已推荐人员": "reject a recommended nominee",
	"审核申报书":   "review an application",
}

// IsRule reports whether err is a RuleError, and returns it.
func IsRule(err error) (*RuleError, bool) {
	var re *RuleError
	ok := errors.As(err, &re)
	return re, ok
}
