package store

import (
	"context"

	"talentdb/db"
)

// Reads of the web app (internal/web) that no other area offers. Like every store call
// they run in the caller's scope.

// Region is a GB/T 2260 region of the reference table: the province (level 1) or one of
// its cities and prefectures (level 2).
type Region struct {
	Code   string
	NameZh string
	NameEn string
	Level  int
}

// RegionList returns the province and its cities by code.
func (s *Store) RegionList(ctx context.Context) ([]Region, error) {
	rows, err := s.q.WebRegionList(ctx, s.scoped())
	if err != nil {
		return nil, mapErr("list regions", err)
	}
	out := make([]Region, len(rows))
	for i, r := range rows {
		out[i] = Region{Code: r.Code, NameZh: r.NameZh, NameEn: r.NameEn, Level: int(r.Level)}
	}
	return out, nil
}

// Nominee is a participation of a school with its person's name and masked identity
// number, as the school workspace lists them.
type Nominee struct {
	ParticipationID int64
	PersonID        int64
	Name            string
	IDMasked        string
	EditionID       string
	Program         string
	CategoryCode    string
	Grade           *string
	TeacherRole     *string
	Status          string
	Evaluation      *string
	MentorName      *string
}

// SchoolNominees returns up to limit participations of the school in the editions, newest
// edition first, then by name.
func (s *Store) SchoolNominees(ctx context.Context, schoolID int64, editionIDs []string, limit int) ([]Nominee, error) {
	rows, err := s.q.WebSchoolNominees(ctx, s.scoped(), db.WebSchoolNomineesParams{SchoolID: schoolID,
		EditionIds: editionIDs, Lim: int32(limit)})
	if err != nil {
		return nil, mapErr("list school nominees", err)
	}
	out := make([]Nominee, len(rows))
	for i, r := range rows {
		out[i] = Nominee{ParticipationID: r.ID, PersonID: r.PersonID, Name: r.Name, IDMasked: r.IDMasked,
			EditionID: r.EditionID, Program: r.Program, CategoryCode: r.CategoryCode, Grade: r.Grade,
			TeacherRole: r.TeacherRole, Status: r.Status, Evaluation: r.Evaluation, MentorName: r.MentorName}
	}
	return out, nil
}
