package store

import "context"

// DemoAccountScopes is where the demo accounts of scoped roles are placed: a school with
// alumni, its city, and a mentor with participants. Empty values mean the data has none.
type DemoAccountScopes struct {
	SchoolCode string
	CityCode   string
	MentorID   int64
}

// SeedDemoAccountScopes picks the demo accounts' scopes from the loaded data.
func (s *Store) SeedDemoAccountScopes(ctx context.Context) (DemoAccountScopes, error) {
	r, err := s.q.SeedDemoAccountScopes(ctx, s.scoped())
	if err != nil {
		return DemoAccountScopes{}, mapErr("demo account scopes", err)
	}
	return DemoAccountScopes{SchoolCode: r.SchoolCode, CityCode: r.CityCode, MentorID: r.MentorID}, nil
}
