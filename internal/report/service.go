package report

import (
	"context"
	"fmt"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Frozen is a report as it was published: kind, parameters, as_of, the body exactly as
// published, who froze it and when (Body is nil in lists).
type Frozen = store.FrozenReport

// FrozenFilter selects frozen reports: of one kind (nil = all), after an id, at most Limit.
type FrozenFilter = store.FrozenReportFilter

// Region is a region of the reference table (the province, level 1, and its cities, level
// 2) with its names, for the labels of the charts and tables.
type Region = store.Region

// Service is the door to the reports for every path (the API, the web pages, the CLI):
// each method takes the caller, authorizes its action (access.StatsRead to read,
// access.ReportFreeze to freeze), runs in the caller's scope — row-level security narrows
// every figure to what the caller may see — and returns the contract's report. A zero
// as_of is today in China by the Service's clock; Query.Publish applies publication mode.
type Service struct {
	st  *store.Store
	now func() time.Time
}

// New returns a Service on st; now is the clock behind "today" (nil: time.Now). st's
// default scope, if any, is never used: every call runs in the scope of its caller.
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st.WithoutDefault(), now: now}
}

// Today is the civil date in China by the Service's clock.
func (s *Service) Today() time.Time { return vocab.Today(s.now) }

// Query is what every report read takes beside its own parameters.
type Query struct {
	// AsOf is the date the report is computed on; zero: today (Service.Today).
	AsOf time.Time
	// Publish applies publication mode (small counts withheld, docs/reports.md).
	Publish bool
	// Cut narrows the reports that take one (cohort, annual, comparison; the league reads
	// its Region only).
	Cut Cut
}

// reading authorizes c for act and returns ctx in c's scope.
func reading(ctx context.Context, c access.Caller, act access.Action) (context.Context, error) {
	if err := access.Authorize(c, act); err != nil {
		return ctx, err
	}
	return store.WithScope(ctx, store.ScopeFor(c)), nil
}

// asOf is q's date, today when q has none.
func (s *Service) asOf(q Query) time.Time {
	if q.AsOf.IsZero() {
		return s.Today()
	}
	return q.AsOf
}

// publishable is a report type whose pointer can be published.
type publishable[T any] interface {
	*T
	Publishable
}

// read runs one report read for c: authorize StatsRead, compute in c's scope on q's date,
// publish when asked.
func read[T any, P publishable[T]](ctx context.Context, s *Service, c access.Caller, q Query,
	compute func(ctx context.Context, st *store.Store, asOf time.Time) (T, error)) (T, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		var zero T
		return zero, err
	}
	rep, err := compute(ctx, s.st, s.asOf(q))
	if err != nil {
		return rep, err
	}
	if q.Publish {
		P(&rep).Publish()
	}
	return rep, nil
}

// Cohort is the cohort outcome report of editionID, narrowed by q.Cut.
func (s *Service) Cohort(ctx context.Context, c access.Caller, editionID string, q Query) (CohortReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (CohortReport, error) {
		return CohortWithCut(ctx, st, editionID, asOf, q.Cut)
	})
}

// Annual is the annual statistics report of year, narrowed by q.Cut.
func (s *Service) Annual(ctx context.Context, c access.Caller, year int, q Query) (AnnualReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (AnnualReport, error) {
		return AnnualWithCut(ctx, st, year, asOf, q.Cut)
	})
}

// CohortComparison compares the cohort reports of editionIDs, narrowed by q.Cut.
func (s *Service) CohortComparison(ctx context.Context, c access.Caller, editionIDs []string, q Query) (ComparisonReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (ComparisonReport, error) {
		return CohortComparison(ctx, st, editionIDs, asOf, q.Cut)
	})
}

// YingcaiPipeline is the 英才计划 pipeline of program, withinYears years on.
func (s *Service) YingcaiPipeline(ctx context.Context, c access.Caller, program string, withinYears int, q Query) (PipelineReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (PipelineReport, error) {
		return YingcaiPipeline(ctx, st, program, withinYears, asOf)
	})
}

// SchoolLeague is the follow-up league of the province, or of q.Cut.Region's city.
func (s *Service) SchoolLeague(ctx context.Context, c access.Caller, q Query) (LeagueReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (LeagueReport, error) {
		return SchoolLeague(ctx, st, q.Cut.Region, asOf)
	})
}

// TeacherTrajectories follows the teachers of each 金导师 edition withinYears years on.
func (s *Service) TeacherTrajectories(ctx context.Context, c access.Caller, withinYears int, q Query) (TrajectoriesReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (TrajectoriesReport, error) {
		return TeacherTrajectories(ctx, st, withinYears, asOf)
	})
}

// AwardsOverTime counts award records per year from fromYear to toYear of program ("":
// both). toYear nil is as_of's year, fromYear nil four years before toYear.
func (s *Service) AwardsOverTime(ctx context.Context, c access.Caller, fromYear, toYear *int, program string,
	q Query) (AwardsOverTimeReport, error) {
	return read(ctx, s, c, q, func(ctx context.Context, st *store.Store, asOf time.Time) (AwardsOverTimeReport, error) {
		to := asOf.Year()
		if toYear != nil {
			to = *toYear
		}
		from := to - 4
		if fromYear != nil {
			from = *fromYear
		}
		return AwardsOverTime(ctx, st, from, to, program, asOf)
	})
}

// dueFields are the personal fields the follow-up schedule shows, as the audit log
// records them.
var dueFields = []string{"id_number_masked", "name"}

// FollowUpsDue is the follow-up schedule on f.AsOf (zero: today), narrowed to c's scope: a
// school operator sees their own school's (naming another school is access.ErrNotFound),
// a city coordinator their city's (another city likewise); row-level security narrows it
// again in the database. The schedule names persons, so the read is audited (action read,
// entity follow_up_schedule, the row count) before it is returned. The schedule is read
// on the read replica when one is healthy, which cannot take a write: the audit row is
// written on the primary right after the read, in a unit of work of its own; when it
// cannot be written the schedule is not returned.
func (s *Service) FollowUpsDue(ctx context.Context, c access.Caller, f DueFilter) (DueReport, error) {
	ctx, f, err := s.dueFilter(ctx, c, f)
	if err != nil {
		return DueReport{}, err
	}
	rep, err := FollowUpsDue(ctx, s.st, f)
	if err != nil {
		return DueReport{}, err
	}
	n := int32(len(rep.Persons))
	e := store.AuditEntry{Action: "read", Entity: "follow_up_schedule", Fields: dueFields, RowCount: &n}
	if f.Export != "" {
		e.Action = "export"
		e.After = map[string]string{"as_of": rep.AsOf, "school": rep.School, "region": rep.Region, "format": f.Export}
	}
	if err := s.st.AuditRead(ctx, store.ActorFor(c), e); err != nil {
		return DueReport{}, err
	}
	return rep, nil
}

// dueFilter authorizes c to read the follow-up schedule and narrows f to c's scope: a
// school operator's own school, a city coordinator's city (another one is an
// *OutOfScopeError); a zero AsOf becomes today. It returns ctx in c's scope.
func (s *Service) dueFilter(ctx context.Context, c access.Caller, f DueFilter) (context.Context, DueFilter, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return ctx, f, err
	}
	if f.AsOf.IsZero() {
		f.AsOf = s.Today()
	}
	switch c.Role {
	case access.RoleSchoolOperator:
		o, err := s.st.OrganizationGet(ctx, c.SchoolID)
		if err != nil {
			return ctx, f, fmt.Errorf("report: follow-ups due: the caller's school: %w", err)
		}
		if f.SchoolCode != "" && f.SchoolCode != o.Code {
			return ctx, f, &OutOfScopeError{Param: "school"}
		}
		f.SchoolCode = o.Code
	case access.RoleCityCoordinator:
		if f.RegionCode != "" && (len(f.RegionCode) != 6 || f.RegionCode[:4]+"00" != c.CityCode) {
			return ctx, f, &OutOfScopeError{Param: "region"}
		}
		if f.RegionCode == "" {
			f.RegionCode = c.CityCode
		}
	}
	return ctx, f, nil
}

// DueCounts is how many alumni the follow-up schedule lists, and how many of them are
// overdue: the due list's own two figures, with nobody named.
type DueCounts struct {
	AsOf         string
	Due, Overdue int
}

// DueCounts is the follow-up schedule of FollowUpsDue — the same filter, scope and
// computation, so the figures are the due list page's — reduced to its two counts. It
// returns no person, so it is not audited as a read of personal data (the reminders'
// digests, docs/reminders.md).
func (s *Service) DueCounts(ctx context.Context, c access.Caller, f DueFilter) (DueCounts, error) {
	ctx, f, err := s.dueFilter(ctx, c, f)
	if err != nil {
		return DueCounts{}, err
	}
	rep, err := FollowUpsDue(ctx, s.st, f)
	if err != nil {
		return DueCounts{}, err
	}
	return DueCounts{AsOf: rep.AsOf, Due: rep.DueCount, Overdue: rep.OverdueCount}, nil
}

// OutOfScopeError is a filter naming a school or region outside the caller's scope: it
// reads as access.ErrNotFound, like a school that does not exist for them.
type OutOfScopeError struct{ Param string }

func (e *OutOfScopeError) Error() string {
	return fmt.Sprintf("report: %s outside the caller's scope: %s", e.Param, access.ErrNotFound)
}

// Is makes the error match access.ErrNotFound.
func (e *OutOfScopeError) Is(target error) bool { return target == access.ErrNotFound }

// FrozenList returns frozen reports without their bodies, in id order.
func (s *Service) FrozenList(ctx context.Context, c access.Caller, f FrozenFilter) ([]Frozen, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return nil, err
	}
	return s.st.FrozenReportList(ctx, f)
}

// FrozenGet returns one frozen report with its body; an unknown id is access.ErrNotFound.
func (s *Service) FrozenGet(ctx context.Context, c access.Caller, id int64) (Frozen, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return Frozen{}, err
	}
	return s.st.FrozenReportGet(ctx, id)
}

// Compute computes the report of kind (cohort or annual) with p on asOf (zero: today), in
// publication mode when p.Publish: what Freeze would store.
func (s *Service) Compute(ctx context.Context, c access.Caller, kind string, p Params, asOf time.Time) (Report, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = s.Today()
	}
	return Compute(ctx, s.st, kind, p, asOf)
}

// Freeze computes the report of kind with p on asOf (zero: today) and stores it as
// published, frozen by c (the audit row in the same unit of work). It returns the stored
// row and the report.
func (s *Service) Freeze(ctx context.Context, c access.Caller, kind string, p Params, asOf time.Time) (Frozen, Report, error) {
	ctx, err := reading(ctx, c, access.ReportFreeze)
	if err != nil {
		return Frozen{}, nil, err
	}
	if asOf.IsZero() {
		asOf = s.Today()
	}
	return Freeze(ctx, s.st, store.ActorFor(c), kind, p, asOf)
}

// Diff recomputes the frozen report id with its parameters and as_of and lists every
// figure that differs; see the package function Diff.
func (s *Service) Diff(ctx context.Context, c access.Caller, id int64) (DiffReport, error) {
	fr, err := s.FrozenGet(ctx, c, id)
	if err != nil {
		return DiffReport{}, err
	}
	return Diff(store.WithScope(ctx, store.ScopeFor(c)), s.st, fr)
}

// Regions returns the province and its cities by code, for the labels of figures by region.
func (s *Service) Regions(ctx context.Context, c access.Caller) ([]Region, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return nil, err
	}
	return s.st.RegionList(ctx)
}
