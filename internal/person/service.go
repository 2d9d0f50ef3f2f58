package person

import (
	"context"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Fields are the personal fields a read of a person returns, as the audit log records them.
var Fields = []string{"id_number_masked", "name", "gender", "birth_date", "phone_masked", "guardian_name",
	"guardian_phone_masked", "school_code", "consent_state"}

// Service is the door to persons: their records, guardians' consents, the audited reveal
// of identifiers, and the identity review queue with its merges.
type Service struct {
	st   *store.Store
	keys *identity.Keys
	now  func() time.Time
}

// New returns the service over st. keys protect identity and phone numbers on a write and
// open them on a reveal; now is the clock behind "today" (nil: time.Now). st's default
// scope, if any, is never used: every call runs in the scope of its caller.
func New(st *store.Store, keys *identity.Keys, now func() time.Time) *Service {
	return &Service{st: st.WithoutDefault(), keys: keys, now: now}
}

// in returns ctx carrying c's scope, for the store.
func in(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// today is the civil date in China by the service's clock.
func (s *Service) today() time.Time { return vocab.Today(s.now) }

// naming authorizes c for act on person id and refuses a person outside c's scope
// (access.ErrNotFound) or whose consent act's policy row does not allow
// (*access.ConsentError), as the API's fence does. It returns ctx in c's scope.
func (s *Service) naming(ctx context.Context, c access.Caller, act access.Action, id int64) (context.Context, error) {
	if err := access.Authorize(c, act); err != nil {
		return ctx, err
	}
	ctx = in(ctx, c)
	acc, err := s.st.TrackingAccess(ctx, "person", id)
	if err != nil {
		return ctx, err
	}
	return ctx, access.RequireConsent(act, acc.ConsentState)
}

// Get reads one person the caller may see, audited. Outside the caller's scope — or
// withheld from it by a withdrawn consent — is access.ErrNotFound.
func (s *Service) Get(ctx context.Context, c access.Caller, id int64) (Person, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return Person{}, err
	}
	return s.st.PersonRead(in(ctx, c), store.ActorFor(c), id, Fields)
}

// List returns one page of the persons the caller may see (never one withheld for a
// guardian's consent), audited with the number of rows shown: f.Limit asks for one row
// more than shown, to tell whether a next page exists.
func (s *Service) List(ctx context.Context, c access.Caller, f Filter) ([]Person, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return nil, err
	}
	return s.st.PersonListRead(in(ctx, c), store.ActorFor(c), f, Fields, f.Limit-1)
}

// Search is the persons list of the web app: one page of the persons the caller may see
// that match the search (a name anywhere in it, filters on participations, awards and
// city), with the total of the matches, audited with the number of rows shown.
func (s *Service) Search(ctx context.Context, c access.Caller, f Search) (Hits, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return Hits{}, err
	}
	return s.st.PersonSearchRead(in(ctx, c), store.ActorFor(c), f, Fields)
}

// Timeline reads a person's timeline, audited, after the same scope check as Get.
func (s *Service) Timeline(ctx context.Context, c access.Caller, id int64) ([]TimelineEvent, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return nil, err
	}
	return s.st.TimelineRead(in(ctx, c), store.ActorFor(c), id)
}

// Create validates and records a person, audited. A school operator registers their own
// school's people: without a school_code the person is theirs, with another one it is a
// *ForbiddenError. A person under 14 starts withheld for a guardian's consent: the
// database decides (migrations/00093_consent_gate.sql), for this path and every other.
// An identity number already recorded is a *store.ConstraintError on persons_id_hash_key.
func (s *Service) Create(ctx context.Context, c access.Caller, b Input) (Person, error) {
	if err := access.Authorize(c, access.PersonWrite); err != nil {
		return Person{}, err
	}
	pi, err := s.validate(b, nil)
	if err != nil {
		return Person{}, err
	}
	ctx = in(ctx, c)
	own, err := s.ownSchoolCode(ctx, c)
	if err != nil {
		return Person{}, err
	}
	if own != "" && pi.SchoolCode == nil { // a school registers its own people
		pi.SchoolCode = &own
	}
	if err := notOwn(own, pi.SchoolCode); err != nil {
		return Person{}, err
	}
	return s.st.PersonCreate(ctx, store.ActorFor(c), pi)
}

// Update corrects person id, provided it is still at version (else access.ErrStale),
// audited. edit sees the current person, read in the caller's scope after the version
// check, and returns the change (for the API, the decoded merge patch); its error is
// returned as is. A school operator cannot move a person to another school. The store's
// write checks the version again under its lock, so a change in between is refused.
func (s *Service) Update(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur Person) (Input, error)) (Person, error) {
	ctx, err := s.naming(ctx, c, access.PersonWrite, id)
	if err != nil {
		return Person{}, err
	}
	cur, err := s.st.PersonGet(ctx, id)
	if err != nil {
		return Person{}, err
	}
	if cur.Version != version {
		return Person{}, access.ErrStale
	}
	b, err := edit(cur)
	if err != nil {
		return Person{}, err
	}
	pi, err := s.validate(b, &cur)
	if err != nil {
		return Person{}, err
	}
	if b.SchoolCode.Set { // nor moves one to another school
		own, err := s.ownSchoolCode(ctx, c)
		if err == nil {
			err = notOwn(own, pi.SchoolCode)
		}
		if err != nil {
			return Person{}, err
		}
	}
	return s.st.PersonUpdate(ctx, store.ActorFor(c), id, version, pi)
}

// Delete deletes a person nothing refers to (else a *store.DeleteBlockedError), audited.
// When version is not nil the person must still be at that version.
func (s *Service) Delete(ctx context.Context, c access.Caller, id int64, version *int) error {
	ctx, err := s.naming(ctx, c, access.PersonWrite, id)
	if err != nil {
		return err
	}
	return s.st.PersonDelete(ctx, store.ActorFor(c), id, version)
}

// ownSchoolCode is the school code of a school operator, "" for every other role.
func (s *Service) ownSchoolCode(ctx context.Context, c access.Caller) (string, error) {
	if c.Role != access.RoleSchoolOperator {
		return "", nil
	}
	o, err := s.st.OrganizationGet(ctx, c.SchoolID)
	if err != nil {
		return "", err
	}
	return o.Code, nil
}

// notOwn refuses (*ForbiddenError) a school other than own (or none) when own is a
// school operator's school code; when own is "" (every other role) it does nothing.
func notOwn(own string, code *string) error {
	if own == "" || (code != nil && *code == own) {
		return nil
	}
	return &ForbiddenError{Message: "学校账号只能登记本校（" + own + "）的记录 / A school account records its own school's (" +
		own + ") records only."}
}
