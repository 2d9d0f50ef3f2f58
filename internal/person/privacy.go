package person

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Consent is a guardian's consent to the processing of a minor's data.
type Consent = store.Consent

// ConsentInput is a consent as a path hands it in, unparsed: who gave it, how, when
// (YYYY-MM-DD, not after today) and for what.
type ConsentInput struct {
	GuardianName *string
	Relationship *string
	Method       *string
	Scope        *string
	GrantedOn    *string
}

// RevealFields are the protected fields a reveal may ask for.
var RevealFields = []string{"id_number", "phone", "guardian_phone"}

// consentFields are the fields a read of consents returns, as the audit log records them.
var consentFields = []string{"guardian_name", "relationship", "method", "scope"}

// Reveal opens the identity number and phones of person id that fields name (each of
// RevealFields), for the office only, the reveal with its reason in the audit log in the
// same unit of work: without the audit row there is no reveal. The map holds each field
// asked for, sorted and once, nil when the person has none.
func (s *Service) Reveal(ctx context.Context, c access.Caller, id int64, fields []string,
	reason string) (map[string]*string, error) {
	if err := access.Authorize(c, access.PersonReveal); err != nil {
		return nil, err
	}
	var v check.Fields
	if len(fields) == 0 {
		v.Add("fields", "required", "请列出要查看的字段 / list the fields to reveal: "+strings.Join(RevealFields, ", "))
	}
	for _, f := range fields {
		if !slices.Contains(RevealFields, f) {
			v.Add("fields", "enum", fmt.Sprintf("只能查看 %s / fields may be %s", strings.Join(RevealFields, ", "),
				strings.Join(RevealFields, ", ")))
			break
		}
	}
	reason = strings.TrimSpace(reason)
	switch {
	case len([]rune(reason)) < 4:
		v.Add("reason", "required", "请说明查看原因（至少 4 个字） / give the reason for the reveal (at least 4 characters)")
	case len([]rune(reason)) > 500:
		v.Add("reason", "max_length", "原因最多 500 字 / reason is at most 500 characters")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	fields = slices.Clone(fields)
	slices.Sort(fields)
	fields = slices.Compact(fields)
	sec, err := s.st.PersonReveal(in(ctx, c), store.ActorFor(c), id, fields, reason)
	if err != nil {
		return nil, err
	}
	sealed := map[string][]byte{"id_number": sec.IDCipher, "phone": sec.PhoneCipher,
		"guardian_phone": sec.GuardianPhoneCipher}
	out := make(map[string]*string, len(fields))
	for _, f := range fields {
		if sealed[f] == nil {
			out[f] = nil
			continue
		}
		clear, err := s.keys.Open(sealed[f])
		if err != nil {
			return nil, fmt.Errorf("person: reveal %s: %w", f, err)
		}
		out[f] = &clear
	}
	return out, nil
}

// Consents returns the consents of person id, oldest first, the read audited in the same
// unit of work. A person outside the caller's scope is access.ErrNotFound.
func (s *Service) Consents(ctx context.Context, c access.Caller, id int64) ([]Consent, error) {
	if err := access.Authorize(c, access.ConsentRead); err != nil {
		return nil, err
	}
	return s.st.ConsentListRead(in(ctx, c), store.ActorFor(c), id, consentFields)
}

// CreateConsent validates and records a guardian's consent for person id, audited; a
// pending or withdrawn person becomes granted, so active again.
func (s *Service) CreateConsent(ctx context.Context, c access.Caller, id int64, b ConsentInput) (Consent, error) {
	ctx, err := s.naming(ctx, c, access.ConsentWrite, id)
	if err != nil {
		return Consent{}, err
	}
	var v check.Fields
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	ci := store.ConsentInput{GuardianName: v.Required("guardian_name", str(b.GuardianName)),
		Relationship: v.Required("relationship", str(b.Relationship)), Method: v.Required("method", str(b.Method)),
		Scope: v.Required("scope", str(b.Scope))}
	v.MaxLen("guardian_name", &ci.GuardianName, 100)
	v.MaxLen("scope", &ci.Scope, 1000)
	v.Enum("relationship", b.Relationship, vocab.ConsentRelationships.Keys()...)
	v.Enum("method", b.Method, vocab.ConsentMethods.Keys()...)
	v.Required("granted_on", str(b.GrantedOn))
	if d := v.Date("granted_on", str(b.GrantedOn)); d != nil {
		if d.After(s.today()) {
			v.Add("granted_on", "future", "同意日期不能晚于今天 / granted_on cannot be in the future")
		}
		ci.GrantedOn = *d
	}
	if err := v.Err(); err != nil {
		return Consent{}, err
	}
	return s.st.ConsentCreate(ctx, store.ActorFor(c), id, ci)
}

// WithdrawConsent records that consent cid of person id was withdrawn on withdrawnOn
// (YYYY-MM-DD, not after today; nil: today), audited. The person becomes withdrawn: left
// out of lists, exports and detail rows, and their records refuse writes.
func (s *Service) WithdrawConsent(ctx context.Context, c access.Caller, id, cid int64,
	withdrawnOn *string) (Consent, error) {
	ctx, err := s.naming(ctx, c, access.ConsentWrite, id)
	if err != nil {
		return Consent{}, err
	}
	var v check.Fields
	on := s.today()
	if withdrawnOn != nil {
		if d := v.Date("withdrawn_on", *withdrawnOn); d != nil {
			if d.After(on) {
				v.Add("withdrawn_on", "future", "撤回日期不能晚于今天 / withdrawn_on cannot be in the future")
			}
			on = *d
		}
	}
	if err := v.Err(); err != nil {
		return Consent{}, err
	}
	return s.st.ConsentWithdraw(ctx, store.ActorFor(c), id, cid, on)
}
