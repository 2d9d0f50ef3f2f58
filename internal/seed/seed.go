package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// The editions the demo data spans, and the fixed "today" its dates are spread up to.
const (
	FirstYear = 2019
	LastYear  = 2026
)

// DefaultToday is the fixed anchor of the demo data: nothing is dated after it.
var DefaultToday = time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC)

// Scale sizes the demo data.
type Scale struct {
	Name                  string
	Schools               int
	Institutions          int
	MentorsPerInstitution int
	Persons               int
}

// Scales are the sizes `seed demo --scale` offers.
var Scales = []Scale{
	{Name: "small", Schools: 200, Institutions: 20, MentorsPerInstitution: 5, Persons: 5_000},
	{Name: "province", Schools: 5_000, Institutions: 60, MentorsPerInstitution: 12, Persons: 200_000},
	{Name: "national", Schools: 100_000, Institutions: 300, MentorsPerInstitution: 40, Persons: 5_000_000},
}

// ScaleByName returns the named scale.
func ScaleByName(name string) (Scale, error) {
	for _, s := range Scales {
		if s.Name == name {
			return s, nil
		}
	}
	return Scale{}, fmt.Errorf("unknown scale %q (want small, province or national)", name)
}

// Options tell Run what to generate.
type Options struct {
	Scale Scale
	// Seed selects the data: the same seed and scale give the same data.
	Seed uint64
	// IfEmpty makes a database that already has data a no-op instead of an error.
	IfEmpty bool
	// Today is the anchor date (default DefaultToday); the last edition is the one of its
	// year's cycle, LastYear.
	Today time.Time
	// BatchSize is the number of persons per batch (default 10,000; raised so that there
	// are at most maxBatches batches). It changes the data, so callers that compare runs
	// must keep it.
	BatchSize int
	// Workers generating batches in parallel (default GOMAXPROCS). It never changes the data.
	Workers int
	// Progress receives "seed: …" lines; nil discards them.
	Progress io.Writer
	// FastLoad switches the per-row foreign-key checks off during the load, when the role
	// may (see store.SeedTx.FastLoad), and verifies every foreign key set-based before
	// committing instead: about twice as fast for the large scales.
	FastLoad bool
}

// Summary is what a run did.
type Summary struct {
	Scale   string           `json:"scale"`
	Seed    uint64           `json:"seed"`
	Skipped bool             `json:"skipped,omitempty"`
	Seconds float64          `json:"seconds"`
	Counts  map[string]int64 `json:"counts,omitempty"`
}

// ErrHasData is returned (wrapped) when the database already holds data and IfEmpty is off.
var ErrHasData = store.ErrHasData

// maxBatches bounds the number of batches: the 500 sequence slots of an identity number
// (per region, birth date and gender) are shared out among the batches.
const (
	maxBatches       = 500
	defaultBatchSize = 10_000
	idSlots          = 500
)

// Run loads demo data into an empty database in one transaction.
func Run(ctx context.Context, st *store.Store, keys *identity.Keys, opt Options) (Summary, error) {
	began := time.Now()
	if opt.Scale.Persons <= 0 {
		return Summary{}, errors.New("seed: scale has no persons")
	}
	if opt.Today.IsZero() {
		opt.Today = DefaultToday
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = defaultBatchSize
	}
	if need := (opt.Scale.Persons + maxBatches - 1) / maxBatches; opt.BatchSize < need {
		opt.BatchSize = need
	}
	progress := opt.Progress
	if progress == nil {
		progress = io.Discard
	}
	sum := Summary{Scale: opt.Scale.Name, Seed: opt.Seed}
	err := st.Seed(ctx, func(t *store.SeedTx) error {
		has, err := t.HasData(ctx)
		if err != nil {
			return err
		}
		if has {
			if opt.IfEmpty {
				sum.Skipped = true
				return nil
			}
			return fmt.Errorf("%w (persons, organizations or participations exist): demo data is only loaded into an empty database; --if-empty skips it", ErrHasData)
		}
		fast := false
		if opt.FastLoad {
			if fast, err = t.FastLoad(ctx); err != nil {
				return err
			}
			if fast {
				fmt.Fprintln(progress, "seed: per-row foreign-key checks off, every key verified before commit")
			}
		}
		w, err := newWorld(ctx, t, keys, opt)
		if err != nil {
			return err
		}
		if err := w.loadOrganizations(ctx, t, progress); err != nil {
			return err
		}
		if err := w.loadPersons(ctx, t, progress); err != nil {
			return err
		}
		c, err := t.SeedCycle(ctx, LastYear, opt.Today)
		if err != nil {
			return err
		}
		fmt.Fprintf(progress, "seed: %d cycle: %d applications, %d public notices, %d objections, %d growth logs, %d tasks, %d training sessions\n",
			LastYear, c.Applications, c.PublicNotices, c.Objections, c.GrowthLogs, c.Tasks, c.TrainingSessions)
		if err := seedCycleRules(ctx, t, LastYear, opt.Today, progress); err != nil {
			return err
		}
		if fast {
			began := time.Now()
			if err := t.VerifyForeignKeys(ctx); err != nil {
				return err
			}
			fmt.Fprintf(progress, "seed: foreign keys verified in %.1fs\n", time.Since(began).Seconds())
		}
		counts, err := t.SeedCounts(ctx)
		if err != nil {
			return err
		}
		sum.Counts = make(map[string]int64, len(counts))
		for _, c := range counts {
			sum.Counts[c.Table] = c.Rows
		}
		return nil
	})
	if err != nil {
		return Summary{}, err
	}
	if sum.Skipped {
		fmt.Fprintln(progress, "seed: database already has data, left alone")
	} else {
		if err := st.Analyze(ctx); err != nil {
			return Summary{}, err
		}
		fmt.Fprintf(progress, "seed: done in %.1fs\n", time.Since(began).Seconds())
	}
	sum.Seconds = time.Since(began).Seconds()
	return sum, nil
}

// ed is an edition as the generator uses it.
type ed struct {
	id, program string
	year        int
	start, end  time.Time
}

const (
	progJingke = iota
	progJindaoshi
)

// world is what every batch shares: organizations, mentors, editions and lookup lists.
// It is built once and never written after, so batches may read it concurrently.
type world struct {
	opt        Options
	scale      Scale
	keys       *identity.Keys
	today      time.Time
	eds        [2][LastYear - FirstYear + 1]ed
	schools    []school
	insts      []institution
	instByName map[string]int
	orgRows    []store.SeedOrganization
	mentorRows []store.SeedMentor
	personBase int64
	nBatches   int

	// nomination: schools that can nominate for a band, weighted by activity
	nominate [nBands]weighted[int]
	// destinations: school indexes by group, per city and per (city, district+1)
	byCity [nGroups][][]int
	byDist [nGroups][][][]int
	// instsByType lists institution indexes by institution type
	instsByType [nInstTypes][]int
}

func newWorld(ctx context.Context, t *store.SeedTx, keys *identity.Keys, opt Options) (*world, error) {
	w := &world{opt: opt, scale: opt.Scale, keys: keys, today: opt.Today, instByName: map[string]int{}}
	var want []store.Edition
	for _, prog := range edition.Programs {
		for y := FirstYear; y <= LastYear; y++ {
			id := edition.ID{Program: prog, Year: y}
			s, e := id.DefaultDates()
			status := "closed"
			if y == LastYear {
				status = "open"
			}
			want = append(want, store.Edition{ID: id.String(), Program: prog, Year: y, StartsOn: s, EndsOn: e, Status: status})
		}
	}
	eds, err := t.EditionsEnsure(ctx, want, FirstYear, LastYear)
	if err != nil {
		return nil, err
	}
	for _, e := range eds {
		p := progJingke
		if e.Program == "jindaoshi" {
			p = progJindaoshi
		}
		w.eds[p][e.Year-FirstYear] = ed{id: e.ID, program: e.Program, year: e.Year, start: e.StartsOn, end: e.EndsOn}
	}
	for p := range w.eds {
		for y := range w.eds[p] {
			if w.eds[p][y].id == "" {
				return nil, fmt.Errorf("seed: edition %s-%d missing", edition.Programs[p], FirstYear+y)
			}
		}
	}

	nOrgs := 1 + opt.Scale.Schools + opt.Scale.Institutions
	orgBase, err := t.ReserveIDs(ctx, "organizations", nOrgs)
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x6f726773)) // stream "orgs", apart from the batches
	w.orgRows, w.mentorRows = w.buildOrganizations(r, orgBase, 1)
	if len(w.orgRows) != nOrgs {
		return nil, fmt.Errorf("seed: generated %d organizations, reserved %d", len(w.orgRows), nOrgs)
	}
	mentorBase, err := t.ReserveIDs(ctx, "mentors", len(w.mentorRows))
	if err != nil {
		return nil, err
	}
	shift := mentorBase - 1
	for i := range w.mentorRows {
		w.mentorRows[i].ID += shift
	}
	for i := range w.insts {
		for j := range w.insts[i].mentors {
			w.insts[i].mentors[j] += shift
		}
	}
	w.index()

	w.nBatches = (opt.Scale.Persons + opt.BatchSize - 1) / opt.BatchSize
	w.personBase, err = t.ReserveIDs(ctx, "persons", opt.Scale.Persons)
	if err != nil {
		return nil, err
	}
	return w, nil
}

func (w *world) loadOrganizations(ctx context.Context, t *store.SeedTx, progress io.Writer) error {
	if err := t.CopyOrganizations(ctx, w.orgRows); err != nil {
		return err
	}
	if err := t.CopyMentors(ctx, w.mentorRows); err != nil {
		return err
	}
	fmt.Fprintf(progress, "seed: organizations %d (%d schools, %d institutions), mentors %d\n",
		len(w.orgRows), len(w.schools), len(w.insts), len(w.mentorRows))
	return nil
}

// loadPersons generates the batches in parallel and writes them in batch order, with at
// most Workers+1 batches in memory.
func (w *world) loadPersons(ctx context.Context, t *store.SeedTx, progress io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	inflight := make(chan struct{}, w.opt.Workers+1)
	results := make([]chan *store.SeedBatch, w.nBatches)
	for b := range results {
		results[b] = make(chan *store.SeedBatch, 1)
	}
	go func() {
		for b := 0; b < w.nBatches; b++ {
			select {
			case inflight <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func(b int) { results[b] <- w.genBatch(b) }(b)
		}
	}()
	done := 0
	for b := 0; b < w.nBatches; b++ {
		var batch *store.SeedBatch
		select {
		case batch = <-results[b]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := t.CopyBatch(ctx, batch); err != nil {
			return err
		}
		<-inflight
		done += len(batch.Persons)
		fmt.Fprintf(progress, "seed: persons %d/%d\n", done, w.scale.Persons)
	}
	return nil
}
