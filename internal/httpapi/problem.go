package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/system"
)

// problemBase prefixes every problem type URI. The URIs are stable identifiers that
// clients may compare; they need not resolve.
const problemBase = "https://talentdb.example/problems/"

// Problem types: the stable `type` of each kind of failure.
const (
	ProblemValidation       = problemBase + "validation"             // 400: a field or parameter is invalid
	ProblemMalformed        = problemBase + "malformed-json"         // 400: the body is not JSON of the right shape
	ProblemNotFound         = problemBase + "not-found"              // 404
	ProblemMethodNotAllowed = problemBase + "method-not-allowed"     // 405
	ProblemConflict         = problemBase + "conflict"               // 409: a uniqueness or reference rule
	ProblemInUse            = problemBase + "in-use"                 // 409: delete refused, something depends on it
	ProblemStale            = problemBase + "stale"                  // 412: If-Match does not name the current version
	ProblemPayloadTooLarge  = problemBase + "payload-too-large"      // 413
	ProblemUnsupportedMedia = problemBase + "unsupported-media-type" // 415
	ProblemIfMatchRequired  = problemBase + "if-match-required"      // 428
	ProblemUnavailable      = problemBase + "unavailable"            // 503
	ProblemInternal         = problemBase + "internal"               // 500
)

// FieldError names one invalid input: the JSON field or query parameter, the rule it
// broke (required, format, enum, unique, exists, unknown_field …) and a message in
// Chinese and English.
type FieldError struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Problem is an RFC 9457 problem detail. It is also an error, so helpers can return it
// and handlers hand it to fail unchanged.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// newProblem builds a problem; detail should say what happened in Chinese and English.
func newProblem(status int, typ, title, detail string) *Problem {
	return &Problem{Type: typ, Title: title, Status: status, Detail: detail}
}

// validationProblem is the 400 for one or more invalid fields.
func validationProblem(errs ...FieldError) *Problem {
	p := newProblem(http.StatusBadRequest, ProblemValidation, "Invalid request",
		"请求中有无效的字段或参数 / The request has invalid fields or parameters.")
	p.Errors = errs
	return p
}

// fieldProblem is the 400 for a single invalid field.
func fieldProblem(field, rule, message string) *Problem {
	return validationProblem(FieldError{Field: field, Rule: rule, Message: message})
}

// fieldsProblem is the 400 for the field errors in err's tree: the one a store or a door
// returned, or all that a door joined (check.All), in its order.
func fieldsProblem(err error) *Problem {
	var errs []FieldError
	for _, fe := range check.All(err) {
		errs = append(errs, FieldError{Field: fe.Field, Rule: fe.Rule, Message: fe.Message})
	}
	return validationProblem(errs...)
}

// notFoundProblem is the 404 for an unknown id of a resource (entity in English, e.g. "person").
func notFoundProblem(entity string) *Problem {
	return newProblem(http.StatusNotFound, ProblemNotFound, "Not found",
		fmt.Sprintf("没有找到该记录 / No such %s.", entity))
}

// conflictProblem is a 409 naming the field whose value collides or does not resolve.
func conflictProblem(field, rule, message string) *Problem {
	p := newProblem(http.StatusConflict, ProblemConflict, "Conflict", message)
	p.Errors = []FieldError{{Field: field, Rule: rule, Message: message}}
	return p
}

// ruleProblem is the 422 for a door's rule violation, naming its field.
func ruleProblem(re *access.RuleError) *Problem {
	p := newProblem(http.StatusUnprocessableEntity, ProblemRule, "Rule violation", re.Message)
	p.Errors = []FieldError{{Field: re.Field, Rule: re.Rule, Message: re.Message}}
	return p
}

// writeProblem sends p as application/problem+json, filling in the request id.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	q := *p
	q.RequestID = requestIDFrom(r.Context())
	if q.Instance == "" {
		q.Instance = r.URL.Path
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(q.Status)
	_ = json.NewEncoder(w).Encode(q)
}

// constraintField says which public field a named database constraint guards, so a
// refused write can name it. Status is the HTTP status to answer (409 for uniqueness,
// 400 for a reference or check).
type constraintField struct {
	Status  int
	Field   string
	Rule    string
	Message string
}

// constraintFields maps constraint names to fields; resource files add theirs with
// registerConstraints from an init function.
var constraintFields = map[string]constraintField{}

// registerConstraints adds constraint → field entries (call from init only).
func registerConstraints(m map[string]constraintField) {
	for k, v := range m {
		if _, dup := constraintFields[k]; dup {
			panic("httpapi: constraint registered twice: " + k)
		}
		constraintFields[k] = v
	}
}

// tableNames are the Chinese names of tables that may block a delete.
var tableNames = map[string]string{
	"persons": "人员", "person_schools": "学籍", "participations": "参与记录", "mentors": "导师",
	"awards": "获奖", "destinations": "毕业去向", "career_moves": "工作动向", "follow_ups": "跟踪联系",
	"users": "账号", "applications": "申报书", "consents": "监护人同意", "public_notices": "公示",
	"training_sessions": "培训活动", "year_summaries": "年度总结", "typical_cases": "典型案例",
	"growth_logs": "成长日志", "tasks": "任务", "objections": "异议", "identity_candidates": "身份核对",
	"person_merges": "人员合并", "typical_case_persons": "典型案例", "training_attendance": "培训考勤",
	"exchange_recommendations": "交流推荐", "application_phases": "申报书",
}

// fail answers err as problem+json: a *Problem as is, the doors' errors (internal/access) by kind, and
// anything else as a 500 whose cause goes to the log only.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		p  *Problem
		fe *access.FieldError
		ce *access.ConstraintError
		be *access.DeleteBlockedError
		ke *access.ConsentError
	)
	switch {
	case errors.As(err, &p):
	case errors.As(err, &ke): // a door refused the person's consent, as checkRecord does
		p = consentProblem(ke.State)
	case errors.As(err, &fe):
		p = fieldsProblem(err)
	case errors.As(err, &be):
		p = newProblem(http.StatusConflict, ProblemInUse, "In use", blockedDetail(be))
	case errors.As(err, &ce):
		p = constraintProblem(ce)
	case errors.Is(err, access.ErrNotFound):
		p = newProblem(http.StatusNotFound, ProblemNotFound, "Not found", "没有找到该记录 / Not found.")
	case errors.Is(err, access.ErrForbidden): // the database's row-level security refused the write
		loggerFrom(r.Context()).Warn("row-level security refused a write", "err", err.Error())
		p = newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden",
			"您无权修改该记录 / You may not change this record.")
	case errors.Is(err, access.ErrStale):
		p = newProblem(http.StatusPreconditionFailed, ProblemStale, "Precondition failed",
			"记录已被他人修改，请重新读取后再提交 / The record has changed since you read it (If-Match does not name its current version); read it again and retry.")
	case errors.Is(err, access.ErrConflict): // a door's conflict that names no constraint
		p = newProblem(http.StatusConflict, ProblemConflict, "Conflict",
			"与现有数据冲突 / The request conflicts with the data as it stands.")
	case system.Unavailable(err) && r.Context().Err() == nil: // database away: 503 + Retry-After (outage.go)
		loggerFrom(r.Context()).Warn("database unavailable", "err", err.Error())
		p = unavailableProblem()
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		loggerFrom(r.Context()).Info("request canceled by client")
		return
	default:
		loggerFrom(r.Context()).Error("request failed", "err", err.Error())
		p = newProblem(http.StatusInternalServerError, ProblemInternal, "Internal error",
			"服务器内部错误，请稍后再试 / Internal server error; try again later.")
	}
	writeProblem(w, r, p)
}

func constraintProblem(ce *access.ConstraintError) *Problem {
	if f, ok := constraintFields[ce.Constraint]; ok {
		if f.Status == http.StatusConflict {
			return conflictProblem(f.Field, f.Rule, f.Message)
		}
		return fieldProblem(f.Field, f.Rule, f.Message)
	}
	switch ce.Kind {
	case "unique":
		return newProblem(http.StatusConflict, ProblemConflict, "Conflict",
			"与已有记录重复 / The record duplicates an existing one.")
	case "foreign_key":
		return newProblem(http.StatusConflict, ProblemConflict, "Conflict",
			"引用的记录不存在 / A referenced record does not exist.")
	default:
		return newProblem(http.StatusBadRequest, ProblemValidation, "Invalid request",
			"数据不符合规则 / The data breaks a rule of the database.")
	}
}

func blockedDetail(be *access.DeleteBlockedError) string {
	if be.Status != "" {
		return fmt.Sprintf("状态为 %s 的记录不能删除，只能删除仍为已报名（registered）的记录 / A %s in status %s cannot be deleted; only status registered can.",
			be.Status, be.Entity, be.Status)
	}
	zh := tableNames[be.By]
	if zh == "" {
		zh = be.By
	}
	return fmt.Sprintf("仍有%s引用该记录，不能删除 / The %s cannot be deleted: %s still refer to it.", zh, be.Entity, be.By)
}
