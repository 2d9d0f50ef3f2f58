package selfreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/check"
	"talentdb/internal/identity"
	"talentdb/internal/report"
	"talentdb/internal/store"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// Link is a link made for a person; Token and URL are known only to the answer of
// MakeLinks (the database keeps a hash).
type Link = store.SelfReportLink

// Answer is an answer with its review, as the school's queue shows it.
type Answer = store.SelfReport

// Made is a link just made: the token, shown this once, and the address to send.
type Made struct {
	Link
	Token string
	URL   string // BaseURL + "/r/" + Token
}

// Opening is what a link's page shows: the given name and the school, and whether it
// addresses the guardian (the person is under 14 today).
type Opening struct {
	GivenName  string
	SchoolName string
	Guardian   bool
}

// Prize is one prize of an answer, as the respondent wrote it (the JSON of self_reports.prizes).
type Prize struct {
	Competition string `json:"competition"`
	Level       string `json:"level"`
	AwardedOn   string `json:"awarded_on"`
}

// Limits of a self-report.
const (
	DefaultDays = 30  // a link holds for 30 days unless its maker says otherwise
	MaxDays     = 90  // and at most 90
	MaxPrizes   = 10  // prizes in one answer
	MaxLinks    = 500 // links made at once
)

// The rates of a link's page, per token and per address.
var (
	TokenRate   = auth.Rate{Burst: 20, Per: time.Hour}
	AddressRate = auth.Rate{Burst: 120, Per: time.Hour}
)

// ErrLinkDead is the one answer to a link that cannot be used — unknown, forged,
// expired, revoked or used already — so nobody learns which. It matches access.ErrNotFound.
var ErrLinkDead = fmt.Errorf("此链接不可用（可能已使用、已过期或已撤回） / this link cannot be used: %w", access.ErrNotFound)

// RateLimitedError is a link's page asked too often from one token or one address.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("操作过于频繁，请 %d 分钟后再试 / too many requests; try again in %d minutes",
		minutes(e.RetryAfter), minutes(e.RetryAfter))
}

func minutes(d time.Duration) int { return max(1, int((d+time.Minute-1)/time.Minute)) }

// Service is the door of self-report links.
type Service struct {
	st       *store.Store
	keys     *identity.Keys
	tracking *tracking.Service
	reports  *report.Service
	clock    vocab.Clock
	base     string
	byToken  *auth.Limiter
	byAddr   *auth.Limiter
}

// New returns the door over st; keys sign the tokens, tr writes the records an accepted
// answer brings, rep gives the due list; base is the web app's address as users reach it
// (PUBLIC_BASE_URL; empty: links are paths); now is the clock (nil: time.Now).
func New(st *store.Store, keys *identity.Keys, tr *tracking.Service, rep *report.Service, base string,
	now func() time.Time) *Service {
	return &Service{st: st.WithoutDefault(), keys: keys, tracking: tr, reports: rep, clock: now,
		base: strings.TrimRight(base, "/"), byToken: auth.NewLimiter(TokenRate, now),
		byAddr: auth.NewLimiter(AddressRate, now)}
}

// Today is the civil date in China by the door's clock.
func (s *Service) Today() time.Time { return s.clock.Today() }

func in(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// MakeInput is what links to make: for the persons named, or (Due) for everyone on the
// school's due list today. School is the school's code: a school operator's own school
// when empty (another is refused); the office must name one.
type MakeInput struct {
	School    string
	PersonIDs []int64
	Due       bool
	Days      int // how long the links hold (0: DefaultDays)
}

// MakeLinks makes one link per person, each holding for in.Days, audited: the persons must
// be the school's to follow (in its scope, their consent active).
func (s *Service) MakeLinks(ctx context.Context, c access.Caller, mk MakeInput) ([]Made, error) {
	if err := access.Authorize(c, access.SelfReportLink); err != nil {
		return nil, err
	}
	days := mk.Days
	if days == 0 {
		days = DefaultDays
	}
	if days < 1 || days > MaxDays {
		return nil, &access.FieldError{Field: "days", Rule: "range", Message: fmt.Sprintf(
			"链接有效天数须在 1 到 %d 之间 / days must be between 1 and %d", MaxDays, MaxDays)}
	}
	schoolID, code, err := s.school(ctx, c, mk.School)
	if err != nil {
		return nil, err
	}
	ids := mk.PersonIDs
	if mk.Due {
		rep, err := s.reports.FollowUpsDue(ctx, c, report.DueFilter{SchoolCode: code})
		if err != nil {
			return nil, err
		}
		ids = ids[:0:0]
		for _, p := range rep.Persons {
			ids = append(ids, p.PersonID)
		}
	}
	if len(ids) == 0 && !mk.Due {
		return nil, &access.FieldError{Field: "person_ids", Rule: "required",
			Message: "请至少选择一名往届学生 / name at least one person"}
	}
	if len(ids) > MaxLinks {
		return nil, &access.FieldError{Field: "person_ids", Rule: "max", Message: fmt.Sprintf(
			"一次最多生成 %d 个链接 / at most %d links at once", MaxLinks, MaxLinks)}
	}
	ctx = in(ctx, c)
	a := store.ActorFor(c)
	expires := s.clock.Now().Add(time.Duration(days) * 24 * time.Hour)
	out := make([]Made, 0, len(ids))
	err = s.st.WithinTx(ctx, func(ctx context.Context) error {
		for _, id := range ids {
			acc, err := s.st.TrackingAccess(ctx, "person", id)
			if err != nil {
				return err
			}
			if err := access.RequireConsent(access.SelfReportLink, acc.ConsentState); err != nil {
				return err
			}
			token, hash := newToken(s.keys)
			l, err := s.st.SelfReportLinkCreate(ctx, a, id, schoolID, hash, expires)
			if err != nil {
				return err
			}
			out = append(out, Made{Link: l, Token: token, URL: s.base + "/r/" + token})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// school resolves the school of a call: a school operator's own (code, when given, must
// be it), or the one the office names by code.
func (s *Service) school(ctx context.Context, c access.Caller, code string) (int64, string, error) {
	ctx = in(ctx, c)
	code = strings.TrimSpace(code)
	if c.Role == access.RoleSchoolOperator {
		o, err := s.st.OrganizationGet(ctx, c.SchoolID)
		if err != nil {
			return 0, "", fmt.Errorf("selfreport: the caller's school: %w", err)
		}
		if code != "" && code != o.Code {
			return 0, "", &access.FieldError{Field: "school", Rule: "scope",
				Message: "只能为本校生成链接 / a school makes links for its own alumni only"}
		}
		return o.ID, o.Code, nil
	}
	if code == "" {
		return 0, "", &access.FieldError{Field: "school", Rule: "required", Message: "请填写学校代码 / school is required"}
	}
	os, err := s.st.OrganizationList(ctx, store.OrganizationFilter{Code: &code, Limit: 1})
	if err != nil {
		return 0, "", err
	}
	if len(os) == 0 {
		return 0, "", &access.FieldError{Field: "school", Rule: "exists", Message: fmt.Sprintf(
			"没有代码为 %s 的学校 / no school with code %s", code, code)}
	}
	return os[0].ID, os[0].Code, nil
}

// Links are the school's latest links (of one person when personID is not 0), newest
// first, at most limit (1–500), audited as a read of their persons' names.
func (s *Service) Links(ctx context.Context, c access.Caller, school string, personID int64, limit int) ([]Link, error) {
	if err := access.Authorize(c, access.SelfReportLink); err != nil {
		return nil, err
	}
	schoolID, _, err := s.school(ctx, c, school)
	if err != nil {
		return nil, err
	}
	return s.st.SelfReportLinks(in(ctx, c), store.ActorFor(c), schoolID, personID, clamp(limit))
}

// Revoke revokes an open link, audited; a link that is used, revoked already or not the
// caller's is access.ErrNotFound.
func (s *Service) Revoke(ctx context.Context, c access.Caller, id int64) (Link, error) {
	if err := access.Authorize(c, access.SelfReportLink); err != nil {
		return Link{}, err
	}
	return s.st.SelfReportLinkRevoke(in(ctx, c), store.ActorFor(c), id)
}

func clamp(limit int) int {
	if limit <= 0 || limit > MaxLinks {
		return MaxLinks
	}
	return limit
}

// limit applies the page's rates to one use of a token from addr.
func (s *Service) limit(c access.Caller, token string) error {
	if ok, wait := s.byToken.Allow(token); !ok {
		return &RateLimitedError{RetryAfter: wait}
	}
	if c.Addr != nil {
		if ok, wait := s.byAddr.Allow(c.Addr.String()); !ok {
			return &RateLimitedError{RetryAfter: wait}
		}
	}
	return nil
}

// open checks the caller and the token and reads the link's opening.
func (s *Service) open(ctx context.Context, c access.Caller, token string) ([]byte, store.SelfReportOpening, error) {
	if err := access.Authorize(c, access.SelfReportAnswer); err != nil {
		return nil, store.SelfReportOpening{}, err
	}
	if err := s.limit(c, token); err != nil {
		return nil, store.SelfReportOpening{}, err
	}
	hash, ok := verify(s.keys, token)
	if !ok {
		return nil, store.SelfReportOpening{}, ErrLinkDead
	}
	o, err := s.st.SelfReportOpen(in(ctx, c), hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.SelfReportOpening{}, ErrLinkDead
	}
	return hash, o, err
}

// Open is what the page of a link shows: ErrLinkDead for a link that cannot be used.
func (s *Service) Open(ctx context.Context, c access.Caller, token string) (Opening, error) {
	_, o, err := s.open(ctx, c, token)
	if err != nil {
		return Opening{}, err
	}
	return Opening{GivenName: givenName(o.Name), SchoolName: o.SchoolName,
		Guardian: vocab.UnderConsentAge(o.BirthDate, s.Today())}, nil
}

// AnswerDraft is an answer as the page or a client sends it: each field as typed, dates
// YYYY-MM-DD, enumerations by key or Chinese label. The destination is optional as a
// whole; a guardian (the page addresses them for a person under 14) gives their name and
// confirms.
type AnswerDraft struct {
	GuardianName    *string      `json:"guardian_name"`
	GuardianConfirm bool         `json:"guardian_confirm"`
	DestType        *string      `json:"destination_type"`
	DestOrgName     *string      `json:"destination_org_name"`
	DestStartedOn   *string      `json:"destination_started_on"`
	Prizes          []PrizeDraft `json:"prizes"`
	ContactAgain    *bool        `json:"contact_again"`
	Note            *string      `json:"note"`
}

// PrizeDraft is one prize as typed; a row left wholly blank is no prize.
type PrizeDraft struct {
	Competition *string `json:"competition"`
	Level       *string `json:"level"`
	AwardedOn   *string `json:"awarded_on"`
}

func blank(p *string) bool { return p == nil || strings.TrimSpace(*p) == "" }

// Answer records the one answer of a link, validated as the API validates the records it
// will become (enumerations, no future dates, none before the person's birth); the link is
// used up in the same transaction. ErrLinkDead for a link that cannot be used.
func (s *Service) Answer(ctx context.Context, c access.Caller, token string, d AnswerDraft) error {
	hash, o, err := s.open(ctx, c, token)
	if err != nil {
		return err
	}
	today := s.Today()
	guardian := vocab.UnderConsentAge(o.BirthDate, today)
	ans, err := s.parse(d, guardian, store.TrackedPerson{ID: o.PersonID, BirthDate: o.BirthDate}, today, "")
	if err != nil {
		return err
	}
	ans.AnsweredOn = today
	_, err = s.st.SelfReportAnswer(in(ctx, c), hash, ans, c.RequestID, c.Addr)
	if errors.Is(err, store.ErrNotFound) {
		return ErrLinkDead
	}
	return err
}

// parse checks a draft as a whole (every invalid field at once, prefixed by its place in
// the answer) and returns the answer to store. Field names: guardian_name,
// guardian_confirm, destination.type, destination.started_on, prizes[i].competition…
func (s *Service) parse(d AnswerDraft, guardian bool, p store.TrackedPerson, today time.Time,
	prefix string) (store.SelfReportAnswerInput, error) {
	var c check.Fields
	var errs []error
	in := store.SelfReportAnswerInput{Respondent: "self", Prizes: []byte("[]")}
	if guardian {
		in.Respondent = "guardian"
		name := c.Required(prefix+"guardian_name", deref(d.GuardianName))
		c.MaxLen(prefix+"guardian_name", &name, 50)
		if name != "" {
			in.GuardianName = &name
		}
		if !d.GuardianConfirm {
			c.Add(prefix+"guardian_confirm", "required",
				"请监护人确认代为填写 / the guardian must confirm that they answer for the child")
		}
	}
	if !blank(d.DestType) || !blank(d.DestOrgName) || !blank(d.DestStartedOn) {
		dest, err := tracking.ParseDestination(tracking.DestinationDraft{Type: d.DestType, OrgName: d.DestOrgName,
			StartedOn: d.DestStartedOn})
		errs = append(errs, prefixed(prefix+"destination.", err))
		if err == nil {
			errs = append(errs, asField(tracking.CheckDate(prefix+"destination.started_on", dest.StartedOn, p, today)))
			in.DestType, in.DestOrgName, in.DestStartedOn = &dest.Type, dest.OrgName, &dest.StartedOn
		}
	}
	var prizes []Prize
	for i, pd := range d.Prizes {
		if blank(pd.Competition) && blank(pd.Level) && blank(pd.AwardedOn) {
			continue
		}
		at := fmt.Sprintf("%sprizes[%d].", prefix, i)
		aw, err := tracking.ParseAward(tracking.AwardDraft{Competition: pd.Competition, Level: pd.Level,
			AwardedOn: pd.AwardedOn})
		errs = append(errs, prefixed(at, err))
		if err == nil {
			errs = append(errs, asField(tracking.CheckDate(at+"awarded_on", aw.AwardedOn, p, today)))
			prizes = append(prizes, Prize{Competition: aw.Competition, Level: aw.Level,
				AwardedOn: aw.AwardedOn.Format(time.DateOnly)})
		}
	}
	if len(prizes) > MaxPrizes {
		c.Add(prefix+"prizes", "max", fmt.Sprintf("最多填写 %d 项获奖 / at most %d prizes", MaxPrizes, MaxPrizes))
	}
	if d.ContactAgain == nil {
		c.Add(prefix+"contact_again", "required", "请选择是否愿意继续接受联系 / say whether you may be contacted again")
	} else {
		in.ContactAgain = *d.ContactAgain
	}
	in.Note = c.Optional(d.Note)
	c.MaxLen(prefix+"note", in.Note, 500)
	errs = append(errs, c.Err())
	if err := errors.Join(errs...); err != nil {
		return in, err
	}
	if prizes != nil {
		in.Prizes, _ = json.Marshal(prizes)
	}
	return in, nil
}

// asField is a rule broken by one field of an answer as that field's error, so that a
// form shows it beside the field like any other.
func asField(err error) error {
	var re *access.RuleError
	if errors.As(err, &re) {
		return &access.FieldError{Field: re.Field, Rule: re.Rule, Message: re.Message}
	}
	return err
}

// prefixed names err's field errors after their place in the answer.
func prefixed(prefix string, err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, fe := range check.All(err) {
		msg := strings.ReplaceAll(fe.Message, fe.Field, prefix+fe.Field)
		out = append(out, &access.FieldError{Field: prefix + fe.Field, Rule: fe.Rule, Message: msg})
	}
	if out == nil {
		return err
	}
	return errors.Join(out...)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Statuses of an answer.
const (
	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
)

// Queue is a school's answers of status (default pending), oldest first, at most limit:
// a school operator's own, the office's of the school it names (every school when
// empty). Audited as a read of the persons in it.
func (s *Service) Queue(ctx context.Context, c access.Caller, school, status string, limit int) ([]Answer, error) {
	if err := access.Authorize(c, access.SelfReportReview); err != nil {
		return nil, err
	}
	if status == "" {
		status = StatusPending
	}
	if !vocab.SelfReportStatuses.Valid(status) {
		return nil, &access.FieldError{Field: "status", Rule: "enum", Message: fmt.Sprintf(
			"status 须为 %s 之一 / status must be one of %s", vocab.SelfReportStatuses.Allowed(),
			vocab.SelfReportStatuses.Allowed())}
	}
	var schoolID int64
	if c.Role == access.RoleSchoolOperator || strings.TrimSpace(school) != "" {
		id, _, err := s.school(ctx, c, school)
		if err != nil {
			return nil, err
		}
		schoolID = id
	}
	return s.st.SelfReportList(in(ctx, c), store.ActorFor(c), schoolID, status, clamp(limit))
}

// Prizes are the prizes of an answer.
func Prizes(a Answer) []Prize {
	var out []Prize
	_ = json.Unmarshal(a.Prizes, &out)
	return out
}

// Correction is what the school changes of an answer before accepting it: the
// destination and the prizes as they should be recorded (nil: as answered).
type Correction struct {
	Destination *DestinationFix
	Prizes      []PrizeDraft // replaces the answer's prizes when not nil
}

// DestinationFix is the destination to record instead of the answered one; all blank: none.
type DestinationFix struct {
	Type, OrgName, StartedOn *string
}

// Accept records what answer id brings — its destination, its prizes as awards reported
// by the school (awaiting the office's verification like any award), and a follow-up of
// channel survey dated the day of the answer, outcome reached (opted_out when the
// respondent asked not to be contacted again) — and marks it accepted, all in one unit
// of work with their audit rows: a record refused (a duplicate, a rule) refuses the whole.
// fix, when given, corrects the answer first, checked by the same rules.
func (s *Service) Accept(ctx context.Context, c access.Caller, id int64, fix *Correction) (Answer, error) {
	if err := access.Authorize(c, access.SelfReportReview); err != nil {
		return Answer{}, err
	}
	ctx = in(ctx, c)
	a := store.ActorFor(c)
	var out Answer
	err := s.st.WithinTx(ctx, func(ctx context.Context) error {
		r, err := s.lockPending(ctx, id)
		if err != nil {
			return err
		}
		acc, err := s.st.TrackingAccess(ctx, "person", r.PersonID)
		if err != nil {
			return err
		}
		if err := access.RequireConsent(access.SelfReportReview, acc.ConsentState); err != nil {
			return err
		}
		dest, prizes := answered(r)
		if fix != nil {
			if fix.Destination != nil {
				dest = fix.Destination
			}
			if fix.Prizes != nil {
				prizes = fix.Prizes
			}
			contact := r.ContactAgain
			p, err := s.st.TrackedPersonGet(ctx, r.PersonID)
			if err != nil {
				return err
			}
			draft := AnswerDraft{Prizes: prizes, ContactAgain: &contact}
			if dest != nil {
				draft.DestType, draft.DestOrgName, draft.DestStartedOn = dest.Type, dest.OrgName, dest.StartedOn
			}
			if _, err := s.parse(draft, false, p, s.Today(), ""); err != nil {
				return err
			}
		}
		review := store.SelfReportReviewInput{Status: StatusAccepted}
		if dest != nil && !(blank(dest.Type) && blank(dest.OrgName) && blank(dest.StartedOn)) {
			d, err := s.tracking.CreateDestination(ctx, c, r.PersonID, tracking.DestinationDraft{Type: dest.Type,
				OrgName: dest.OrgName, StartedOn: dest.StartedOn})
			if err != nil {
				return prefixed("destination.", err)
			}
			review.DestinationID = &d.ID
		}
		evidence := "往届学生自填问卷（" + r.AnsweredOn.Format(time.DateOnly) + "） / self-report"
		for i, p := range prizes {
			if blank(p.Competition) && blank(p.Level) && blank(p.AwardedOn) {
				continue
			}
			aw, err := s.tracking.CreateAward(ctx, c, r.PersonID, tracking.AwardDraft{Competition: p.Competition,
				Level: p.Level, AwardedOn: p.AwardedOn, Evidence: &evidence})
			if err != nil {
				return prefixed(fmt.Sprintf("prizes[%d].", i), err)
			}
			review.AwardIDs = append(review.AwardIDs, aw.ID)
		}
		on, channel, outcome := r.AnsweredOn.Format(time.DateOnly), "survey", "reached"
		if !r.ContactAgain {
			outcome = "opted_out"
		}
		note := "自填问卷 / self-report (" + vocab.Respondents.Zh(r.Respondent) + ")"
		f, err := s.tracking.CreateFollowUp(ctx, c, r.PersonID, tracking.FollowUpDraft{ContactedOn: &on,
			Channel: &channel, Outcome: &outcome, Notes: &note})
		if err != nil {
			return err
		}
		review.FollowUpID = &f.ID
		if err := s.st.SelfReportReview(ctx, a, r, review); err != nil {
			return err
		}
		r.Status, r.FollowUpID, r.DestinationID, r.AwardIDs = StatusAccepted, review.FollowUpID,
			review.DestinationID, review.AwardIDs
		out = r
		return nil
	})
	if err != nil {
		return Answer{}, err
	}
	return out, nil
}

// lockPending locks answer id for its review until the unit of work ends; one reviewed
// already is access.ErrConflict (a second click, another operator first).
func (s *Service) lockPending(ctx context.Context, id int64) (Answer, error) {
	r, err := s.st.SelfReportLock(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	if r.Status != StatusPending {
		return Answer{}, fmt.Errorf("该答复已处理 / the answer was reviewed already: %w", access.ErrConflict)
	}
	return r, nil
}

// answered is the destination and prizes of an answer, as drafts.
func answered(r Answer) (*DestinationFix, []PrizeDraft) {
	var dest *DestinationFix
	if r.DestType != nil {
		var started *string
		if r.DestStartedOn != nil {
			s := r.DestStartedOn.Format(time.DateOnly)
			started = &s
		}
		dest = &DestinationFix{Type: r.DestType, OrgName: r.DestOrgName, StartedOn: started}
	}
	var prizes []PrizeDraft
	for _, p := range Prizes(r) {
		p := p
		prizes = append(prizes, PrizeDraft{Competition: &p.Competition, Level: &p.Level, AwardedOn: &p.AwardedOn})
	}
	return dest, prizes
}

// Reject marks answer id rejected (nothing is recorded of it), with the school's reason,
// audited.
func (s *Service) Reject(ctx context.Context, c access.Caller, id int64, reason string) (Answer, error) {
	if err := access.Authorize(c, access.SelfReportReview); err != nil {
		return Answer{}, err
	}
	var f check.Fields
	note := f.Required("reason", reason)
	f.MaxLen("reason", &note, 500)
	if err := f.Err(); err != nil {
		return Answer{}, err
	}
	ctx = in(ctx, c)
	var out Answer
	err := s.st.WithinTx(ctx, func(ctx context.Context) error {
		r, err := s.lockPending(ctx, id)
		if err != nil {
			return err
		}
		if err := s.st.SelfReportReview(ctx, store.ActorFor(c), r, store.SelfReportReviewInput{Status: StatusRejected,
			Note: &note}); err != nil {
			return err
		}
		r.Status, r.ReviewNote = StatusRejected, &note
		out = r
		return nil
	})
	return out, err
}
