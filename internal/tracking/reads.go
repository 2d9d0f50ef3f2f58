package tracking

import (
	"context"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// The reads of the door. A person's records and one record are checked against the
// caller's scope through their person (outside it reads as access.ErrNotFound, like no
// such record). They write no audit row: the person read (person.Service) and the timeline
// are the audited reads of a person.

// reading authorizes c for act and returns ctx in c's scope.
func reading(ctx context.Context, c access.Caller, act access.Action) (context.Context, error) {
	if err := access.Authorize(c, act); err != nil {
		return ctx, err
	}
	return in(ctx, c), nil
}

// ListAwards returns the awards of person personID by date; soft-deleted ones only when
// includeDeleted.
func (s *Service) ListAwards(ctx context.Context, c access.Caller, personID int64, includeDeleted bool) ([]Award, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return nil, err
	}
	return s.st.AwardListInScope(ctx, personID, includeDeleted)
}

// GetAward returns one award, soft-deleted or not.
func (s *Service) GetAward(ctx context.Context, c access.Caller, id int64) (Award, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return Award{}, err
	}
	return s.st.AwardGetInScope(ctx, id)
}

// ListDestinations returns the destinations of person personID by date; soft-deleted ones
// only when includeDeleted.
func (s *Service) ListDestinations(ctx context.Context, c access.Caller, personID int64,
	includeDeleted bool) ([]Destination, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return nil, err
	}
	return s.st.DestinationListInScope(ctx, personID, includeDeleted)
}

// GetDestination returns one destination, soft-deleted or not.
func (s *Service) GetDestination(ctx context.Context, c access.Caller, id int64) (Destination, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return Destination{}, err
	}
	return s.st.DestinationGetInScope(ctx, id)
}

// ListCareerMoves returns the career moves of person personID by start; soft-deleted ones
// only when includeDeleted.
func (s *Service) ListCareerMoves(ctx context.Context, c access.Caller, personID int64,
	includeDeleted bool) ([]CareerMove, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return nil, err
	}
	return s.st.CareerMoveListInScope(ctx, personID, includeDeleted)
}

// GetCareerMove returns one career move, soft-deleted or not.
func (s *Service) GetCareerMove(ctx context.Context, c access.Caller, id int64) (CareerMove, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return CareerMove{}, err
	}
	return s.st.CareerMoveGetInScope(ctx, id)
}

// ListFollowUps returns the follow-ups of person personID by date; soft-deleted ones only
// when includeDeleted.
func (s *Service) ListFollowUps(ctx context.Context, c access.Caller, personID int64,
	includeDeleted bool) ([]FollowUp, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return nil, err
	}
	return s.st.FollowUpListInScope(ctx, personID, includeDeleted)
}

// GetFollowUp returns one follow-up, soft-deleted or not.
func (s *Service) GetFollowUp(ctx context.Context, c access.Caller, id int64) (FollowUp, error) {
	ctx, err := reading(ctx, c, access.TrackingRead)
	if err != nil {
		return FollowUp{}, err
	}
	return s.st.FollowUpGetInScope(ctx, id)
}

// CareerOn is where a teacher was on a date: the live move covering it, or nil.
type CareerOn struct {
	PersonID int64
	On       time.Time
	Move     *CareerMove
}

// CareerOnDate answers where person personID was on date on (nil: today). It is part of
// reading the person (access.PersonRead), as the person's career.
func (s *Service) CareerOnDate(ctx context.Context, c access.Caller, personID int64, on *time.Time) (CareerOn, error) {
	ctx, err := reading(ctx, c, access.PersonRead)
	if err != nil {
		return CareerOn{}, err
	}
	out := CareerOn{PersonID: personID, On: s.date(on)}
	if out.Move, err = s.st.CareerMoveOnInScope(ctx, personID, out.On); err != nil {
		return CareerOn{}, err
	}
	return out, nil
}

// date is *on, or today by the Service's clock.
func (s *Service) date(on *time.Time) time.Time {
	if on != nil {
		return *on
	}
	return s.Today()
}

// Teachers is how many trained teachers are still in science education on a date.
type Teachers struct {
	On time.Time
	store.TeachersInEducation
}

// TeachersInEducation counts, on date on (nil: today), the trained teachers and those still
// in science education, among those nominated by one school (by code) or the schools of
// one city (a city-level code) when given, as far as the caller's scope shows them. An
// unknown school or city is an *access.FieldError on "school" or "region".
func (s *Service) TeachersInEducation(ctx context.Context, c access.Caller, on *time.Time,
	schoolCode, cityCode *string) (Teachers, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return Teachers{}, err
	}
	out := Teachers{On: s.date(on)}
	if out.TeachersInEducation, err = s.st.TeachersInEducationOn(ctx, out.On, schoolCode, cityCode); err != nil {
		return Teachers{}, err
	}
	return out, nil
}

// Coverage is the follow-up schedule's coverage on a date, per school, per city and in
// total.
type Coverage struct {
	AsOf time.Time
	Rows []store.CoverageRow
}

// FollowUpCoverage summarises the follow-up schedule on asOf (nil: today) within one
// school (by code) or city (a city-level code) when given, as far as the caller's scope
// shows it. An unknown school or city is an *access.FieldError on "school" or "region".
func (s *Service) FollowUpCoverage(ctx context.Context, c access.Caller, asOf *time.Time,
	schoolCode, cityCode *string) (Coverage, error) {
	ctx, err := reading(ctx, c, access.StatsRead)
	if err != nil {
		return Coverage{}, err
	}
	if schoolCode != nil || cityCode != nil {
		schoolOK, regionOK, err := s.st.ReportDueFilterCheck(ctx, store.DueFilter{SchoolCode: schoolCode, CityCode: cityCode})
		switch {
		case err != nil:
			return Coverage{}, err
		case !schoolOK:
			return Coverage{}, &access.FieldError{Field: "school", Rule: "exists",
				Message: "没有该代码的单位 / no organization has this code"}
		case !regionOK:
			return Coverage{}, &access.FieldError{Field: "region", Rule: "exists",
				Message: "行政区划代码不属于已知的市州 / region is not within a known city or prefecture"}
		}
	}
	out := Coverage{AsOf: s.date(asOf)}
	if out.Rows, err = s.st.FollowUpCoverage(ctx, out.AsOf, schoolCode, cityCode); err != nil {
		return Coverage{}, err
	}
	return out, nil
}
