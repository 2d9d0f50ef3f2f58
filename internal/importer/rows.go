package importer

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// parser turns the rows of a table into the staging rows of one kind.
type parser struct {
	keys  *identity.Keys
	m     *mapping
	t     *table
	batch *store.ImportBatch
	today time.Time // China's date of the run (vocab.Today)
	errs  []RowError
}

// parseChunk is how many rows a worker of parseAll takes at a time (and so what the store
// stages at a time): a smaller file is parsed on one goroutine.
const parseChunk = 4096

// parseAll parses every row into the batch. A row's cells and its protection (the keyed
// hashes and ciphertexts of its identity number and phones) depend on that row alone, so
// the rows are parsed in chunks of parseChunk rows on up to GOMAXPROCS goroutines, each
// taking the next chunk not yet taken and writing each row at its own index; ready, when
// not nil, is told of each chunk as it is complete (the store stages it meanwhile,
// store.ImportBatch.Parse). The errors are then gathered in row order, as one goroutine
// would give them.
func (p *parser) parseAll(ready func(from, to int)) {
	p.allocate()
	n := len(p.t.rows)
	errs := make([][]RowError, n)
	chunks := (n + parseChunk - 1) / parseChunk
	var next atomic.Int64
	work := func() {
		for {
			k := int(next.Add(1) - 1)
			if k >= chunks {
				return
			}
			from, to := k*parseChunk, min((k+1)*parseChunk, n)
			for i := from; i < to; i++ {
				c := &rowCtx{m: p.m, t: p.t, r: &p.t.rows[i], today: p.today}
				p.extraCells(c)
				p.parseRow(c, i)
				errs[i] = c.errs
			}
			if ready != nil {
				ready(from, to)
			}
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), chunks); workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work()
			}()
		}
		wg.Wait()
	}
	for _, e := range errs {
		p.errs = append(p.errs, e...)
	}
}

// allocate makes the batch's rows of the kind, one per row of the table, unless they are
// made already (the importer makes them before it hands the batch to the store, which
// stages them as parseAll fills them).
func (p *parser) allocate() {
	n := len(p.t.rows)
	b := p.batch
	switch p.m.spec.Kind {
	case store.KindOrganizations:
		makeRows(&b.Organizations, n)
	case store.KindPersons:
		makeRows(&b.Persons, n)
	case store.KindParticipations:
		makeRows(&b.Participations, n)
	case store.KindAwards:
		makeRows(&b.Awards, n)
	case store.KindDestinations:
		makeRows(&b.Destinations, n)
	case store.KindCareerMoves:
		makeRows(&b.CareerMoves, n)
	case store.KindFollowUps:
		makeRows(&b.FollowUps, n)
	}
}

// makeRows makes *rows n rows long unless it is made already.
func makeRows[T any](rows *[]T, n int) {
	if *rows == nil {
		*rows = make([]T, n)
	}
}

// parseRow parses the row of c into the batch's row i of the kind.
func (p *parser) parseRow(c *rowCtx, i int) {
	b, r := p.batch, c.r
	switch p.m.spec.Kind {
	case store.KindOrganizations:
		b.Organizations[i] = p.organization(c)
	case store.KindPersons:
		b.Persons[i] = p.person(c)
	case store.KindParticipations:
		b.Participations[i] = p.participation(c)
	case store.KindAwards:
		ref, birth := p.personRef(c)
		b.Awards[i] = store.AwardImportRow{Line: r.line, Person: ref,
			Competition: c.text("competition"), Level: c.enum("level"), Rank: c.text("rank"),
			AwardedOn: c.pastDate("awarded_on", birth), Organizer: c.text("organizer")}
	case store.KindDestinations:
		ref, _ := p.personRef(c)
		b.Destinations[i] = store.DestinationImportRow{Line: r.line,
			Person: ref, Type: c.enum("type"), OrgName: c.text("org_name"), Major: c.text("major"),
			StartedOn: c.date("started_on")}
	case store.KindCareerMoves:
		b.CareerMoves[i] = p.careerMove(c)
	case store.KindFollowUps:
		ref, birth := p.personRef(c)
		b.FollowUps[i] = store.FollowUpImportRow{Line: r.line,
			Person: ref, ContactedOn: c.pastDate("contacted_on", birth), Channel: c.enum("channel"),
			Outcome: c.enum("outcome"), Notes: c.text("notes")}
	}
}

// extraCells reports values in cells that no header names.
func (p *parser) extraCells(c *rowCtx) {
	for i, v := range c.r.cells {
		if (i >= p.m.width || p.m.blank[i]) && (v != "" || c.r.formula[i]) {
			c.fail("", "该单元格所在的列没有列标题 / this cell is in a column without a header")
			return
		}
	}
}

func (p *parser) organization(c *rowCtx) store.OrganizationImportRow {
	return store.OrganizationImportRow{Line: c.r.line, Code: c.code("code"), Name: c.text("name"),
		Kind: c.enum("kind"), Type: c.enum("type"), RegionCode: c.digits6("region_code"),
		Address: c.text("address"), PostalCode: c.digits6("postal_code")}
}

func (p *parser) person(c *rowCtx) store.PersonImportRow {
	out := store.PersonImportRow{Line: c.r.line, Name: c.text("name"), Gender: c.enum("gender"),
		BirthDate: c.date("birth_date"), GuardianName: c.text("guardian_name")}
	if id, st := c.idNumber("id_number", true); st == cellValue {
		pr := p.keys.ProtectID(id)
		out.IDHash, out.IDCipher, out.IDMasked = pr.Hash, pr.Cipher, &pr.Masked
		if out.BirthDate != nil && !out.BirthDate.Equal(id.BirthDate()) {
			c.fail("birth_date", "出生日期与身份证号中的出生日期不一致 / birth_date does not agree with the identity number")
			out.BirthDate = nil
		}
	}
	if ph, ok := c.phone("phone"); ok {
		pr := p.keys.ProtectPhone(ph)
		out.PhoneHash, out.PhoneCipher, out.PhoneMasked = pr.Hash, pr.Cipher, &pr.Masked
	}
	if ph, ok := c.phone("guardian_phone"); ok {
		pr := p.keys.ProtectPhone(ph)
		out.GuardianPhoneHash, out.GuardianCipher, out.GuardianPhoneMasked = pr.Hash, pr.Cipher, &pr.Masked
	}
	out.GuardianConsentOn = c.pastDate("guardian_consent_on", out.BirthDate)
	return out
}

func (p *parser) participation(c *rowCtx) store.ParticipationImportRow {
	out := store.ParticipationImportRow{Line: c.r.line, Edition: c.editionID("edition"),
		SchoolCode: c.code("school_code"), Category: c.text("category"), Grade: c.enum("grade"),
		TeacherRole: c.enum("teacher_role"), Status: c.enum("status"), Mentor: c.text("mentor"),
		InstCode: c.code("institution_code")}
	if id, st := c.idNumber("id_number", true); st == cellValue {
		out.IDHash = p.keys.Hash(id.Clear())
	}
	if out.Category != nil {
		// category names use full-width parentheses: 科学影像（科普动画）
		v := strings.NewReplacer("(", "（", ")", "）").Replace(*out.Category)
		out.Category = &v
	}
	return out
}

func (p *parser) careerMove(c *rowCtx) store.CareerMoveImportRow {
	ref, _ := p.personRef(c)
	out := store.CareerMoveImportRow{Line: c.r.line, Person: ref, OrgCode: c.code("org_code"),
		OrgName: c.text("org_name"), Position: c.enum("position"), Title: c.enum("title"),
		StartedOn: c.date("started_on"), Reason: c.enum("reason")}
	if out.OrgCode == nil && out.OrgName == nil {
		if c.peek("org_code") == cellEmpty && c.peek("org_name") == cellEmpty && (c.m.present["org_code"] || c.m.present["org_name"]) {
			key := "org_code"
			if !c.m.present["org_code"] {
				key = "org_name"
			}
			c.fail(key, "单位代码与单位名称至少填写一项 / give org_code or org_name")
		}
	}
	return out
}

// personRef reads who a tracking row is about: the identity number, or, when that cell is
// empty, name + birth date + school code together. The school code is also the row's
// school. birth is the person's birth date as the row gives it (the identity number's, or
// the birth_date cell of a row named by the three), nil when it gives none.
func (p *parser) personRef(c *rowCtx) (ref store.ImportPersonRef, birth *time.Time) {
	id, st := c.idNumber("id_number", false)
	name := c.text("name")
	birthCell := c.date("birth_date")
	school := c.code("school_code")
	ref.SchoolCode = school
	switch st {
	case cellValue:
		ref.IDHash = p.keys.Hash(id.Clear())
		b := id.BirthDate()
		birth = &b
	case cellEmpty:
		var missing []string
		for _, k := range []string{"name", "birth_date", "school_code"} {
			if c.peek(k) == cellEmpty {
				missing = append(missing, k)
			}
		}
		switch len(missing) {
		case 3:
			// nothing names the person: one error, on the column that normally does
			c.fail("id_number", "身份证号必填（或填写姓名、出生日期和学校代码）/ id_number is required (or name, birth_date and school_code together)")
		default:
			for _, k := range missing {
				c.fail(k, "未填身份证号时，姓名、出生日期和学校代码都必须填写 / without id_number, name, birth_date and school_code are all required")
			}
		}
		if len(missing) == 0 && name != nil && birthCell != nil && school != nil {
			ref.ByTrio, ref.Name, ref.BirthDate = true, name, birthCell
			birth = birthCell
		}
	}
	return ref, birth
}
