// Package doors builds the set of domain services — one door per capability — that every
// path into the data uses: the JSON API (internal/httpapi), the web pages (internal/web) and
// the commands (internal/cli). Building the set once and handing the same doors to every
// path is what makes the paths answer alike; a path holds the set, never the store.
//
// It must never hold a rule of its own: it only constructs the services.
package doors

import (
	"time"

	"talentdb/internal/audit"
	"talentdb/internal/category"
	"talentdb/internal/cycle"
	"talentdb/internal/edition"
	"talentdb/internal/identity"
	"talentdb/internal/importer"
	"talentdb/internal/organization"
	"talentdb/internal/participation"
	"talentdb/internal/person"
	"talentdb/internal/remind"
	"talentdb/internal/report"
	"talentdb/internal/selfreport"
	"talentdb/internal/store"
	"talentdb/internal/system"
	"talentdb/internal/tracking"
)

// Doors is every domain service, built over one store.
type Doors struct {
	Persons        *person.Service        // persons, consents, reveals, identity review and merges
	Audit          *audit.Service         // the audit log, for the auditor and the office
	Participations *participation.Service // the school's and the cycle's participations
	Organizations  *organization.Service  // reference data: schools, cities, the office
	Editions       *edition.Service
	Categories     *category.Service
	Tracking       *tracking.Service   // awards, destinations, career moves, follow-ups
	System         *system.Service     // readiness, the replica's health, the pool's figures
	Cycle          *cycle.Service      // applications, selection, daily management, summary evaluation
	Reports        *report.Service     // reports, analytics, the follow-up schedule, frozen reports
	Imports        *importer.Service   // bulk uploads, their history, the templates
	Reminders      *remind.Service     // the schools' reminder settings and the daily digests
	SelfReports    *selfreport.Service // self-report links, their answers, the school's queue
}

// Options are what the doors need beside the store and the keys.
type Options struct {
	// Now is the clock behind "today" (nil: time.Now), for tests that pin the date.
	Now func() time.Time
	// ImportMaxBytes limits an uploaded import file, on every path (0: the importer's default).
	ImportMaxBytes int64
	// Remind is where the digests' links point, how mail goes out, how sends are retried.
	Remind remind.Config
}

// New builds the doors over st. st's default scope, if any, is never used: every door runs
// each call in the scope of its caller. keys protect identity and phone numbers.
func New(st *store.Store, keys *identity.Keys, o Options) *Doors {
	reports := report.New(st, o.Now)
	tr := tracking.New(st, o.Now)
	return &Doors{
		Persons:        person.New(st, keys, o.Now),
		Audit:          audit.New(st),
		Participations: participation.New(st),
		Organizations:  organization.New(st),
		Editions:       edition.New(st),
		Categories:     category.New(st),
		Tracking:       tr,
		System:         system.New(st),
		Cycle:          cycle.New(st),
		Reports:        reports,
		Imports:        importer.NewService(st, keys, o.Now, o.ImportMaxBytes),
		Reminders:      remind.New(st, reports, o.Remind, o.Now),
		SelfReports:    selfreport.New(st, keys, tr, reports, o.Remind.BaseURL, o.Now),
	}
}
