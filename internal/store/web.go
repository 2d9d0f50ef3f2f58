package store

import (
	"context"
	"time"

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
	Version         int    // the participation's version: a selection step is taken at it
	NoticeID        *int64 // the public notice a publicized (or later) nominee was on
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
			TeacherRole: r.TeacherRole, Status: r.Status, Evaluation: r.Evaluation, MentorName: r.MentorName,
			Version: int(r.Version), NoticeID: r.NoticeID}
	}
	return out, nil
}

// PersonSearch is what the persons list asks for: nil fields do not filter; Sort is name,
// birth_date, birth_date_desc, school, newest or "" (by id).
type PersonSearch struct {
	Name, SchoolCode, Edition, Program, Status, Level, CityCode *string
	Sort                                                        string
	Offset, Limit                                               int
}

// PersonHit is one row of the persons list.
type PersonHit struct {
	ID                     int64
	Name                   string
	Gender                 string
	BirthDate              time.Time
	IDMasked               string
	SchoolCode, SchoolName *string
	CityCode               string
	CityNameZh, CityNameEn string
	EditionID, Program     string // the latest participation ("" for none)
	Status, CategoryCode   string
	BestLevel              string // the best live award's level ("" for none)
}

// PersonHits is one page of the persons list and how many match in all.
type PersonHits struct {
	Rows  []PersonHit
	Total int
}

// PersonSearchRead runs the persons list in ctx's scope with the read recorded (fields,
// the rows returned) in the same unit of work.
func (s *Store) PersonSearchRead(ctx context.Context, a Actor, f PersonSearch, fields []string) (PersonHits, error) {
	sf := s.listScope(ctx)
	if sf.deny {
		return PersonHits{}, nil
	}
	out := PersonHits{Rows: []PersonHit{}}
	err := s.ReadAudited(ctx, a, AuditEntry{Action: "read", Entity: "person", Fields: fields}, func(q db.DBTX) (int, error) {
		rows, err := s.q.WebPersonSearch(ctx, q, db.WebPersonSearchParams{Sort: f.Sort, Off: int32(f.Offset),
			Lim: int32(f.Limit), Name: f.Name, SchoolCode: f.SchoolCode, Edition: f.Edition, Program: f.Program,
			Status: f.Status, Level: f.Level, CityCode: f.CityCode, ScopeSchoolID: sf.schoolID,
			ScopeCityCode: sf.cityCode, ScopeMentorID: sf.mentorID})
		if err != nil {
			return 0, err
		}
		for _, r := range rows {
			out.Total = int(r.Total)
			out.Rows = append(out.Rows, PersonHit{ID: r.ID, Name: r.Name, Gender: r.Gender, BirthDate: r.BirthDate,
				IDMasked: r.IDMasked, SchoolCode: r.SchoolCode, SchoolName: r.SchoolName, CityCode: r.CityCode,
				CityNameZh: r.CityNameZh, CityNameEn: r.CityNameEn, EditionID: r.EditionID, Program: r.Program,
				Status: r.Status, CategoryCode: r.CategoryCode, BestLevel: r.BestLevel})
		}
		return len(out.Rows), nil
	})
	if err != nil {
		return PersonHits{}, mapErr("search persons", err)
	}
	return out, nil
}
