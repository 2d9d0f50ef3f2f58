package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/identity"
	"talentdb/internal/participation"
	"talentdb/internal/person"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// The person page: who the person is (identity and phones masked only), their
// participations, their whole history as a vertical timeline, quick forms to record a
// contact, an award or a destination, and an edit form that carries the version it was
// read at (If-Match semantics: a save over a newer version is refused, not merged).
// A person outside the user's scope does not exist here: 404, as in the API.

type timelineItem struct {
	On      string
	Kind    string // CSS class: the event's family
	Label   string
	Summary string
	Actor   string
	Deleted bool
}

type personData struct {
	Person         person.Person
	Participations []participation.Participation
	Timeline       []timelineItem
	CanWrite       bool
	NoConsent      bool // the guardian's consent is pending or withdrawn: no new records
	Today          string
	Return         string
	Form           *form // a quick form shown again
	Edit           *form // the edit form shown again
	Enums          enums
	Current        *person.Person // the newer version, after a stale save
	Records        []recordGroup  // the records to correct, for a user who may
	SchoolName     string         // of the person's school
	PartSchools    map[int64]string
	Teacher        bool        // a 金导师 participant: the career-move quick form
	Career         careerEnums // its choices
}

// careerEnums are the choices of the career-move quick form, labelled in the page language.
type careerEnums struct{ Positions, Titles, Reasons []option }

func (a *app) person(w http.ResponseWriter, r *http.Request) {
	id, ok := personPath(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	a.showPerson(w, r, id, nil, nil, http.StatusOK)
}

// showPerson renders the page; qf is a quick form and ef the edit form to show again.
func (a *app) showPerson(w http.ResponseWriter, r *http.Request, id int64, qf, ef *form, status int) {
	ctx, l, p := r.Context(), langOf(r), principal(r)
	per, err := a.doors.Persons.Get(ctx, caller(r), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if per.MergedInto != nil {
		http.Redirect(w, r, "/persons/"+strconv.FormatInt(*per.MergedInto, 10), http.StatusSeeOther)
		return
	}
	parts, err := a.doors.Participations.List(ctx, caller(r), participation.Filter{PersonID: &id, Limit: 100})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	events, err := a.doors.Persons.Timeline(ctx, caller(r), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if ef == nil {
		ef = &form{}
	}
	d := personData{Person: per, Participations: parts, CanWrite: canWrite(p),
		NoConsent: per.ConsentState == "pending" || per.ConsentState == "withdrawn", Today: a.today().Format(time.DateOnly),
		Return: "/persons/" + strconv.FormatInt(id, 10), Form: qf, Edit: ef, Enums: pageEnums(l)}
	for i := len(events) - 1; i >= 0; i-- { // newest first
		d.Timeline = append(d.Timeline, timelineOf(events[i], l))
	}
	if ef != nil && ef.General != "" {
		d.Current = &per
	}
	names := a.schoolNamer(r)
	if per.SchoolID != nil && per.SchoolCode != nil {
		d.SchoolName = names.name(*per.SchoolID, *per.SchoolCode)
	}
	actors := make([]string, 0, len(d.Timeline))
	for _, it := range d.Timeline {
		if it.Actor != "" {
			actors = append(actors, it.Actor)
		}
	}
	// one read for all of them
	names.load(actors...)
	for i, it := range d.Timeline { // a record made on a school's behalf names the school
		if it.Actor != "" {
			d.Timeline[i].Actor = names.byCode(it.Actor)
		}
	}
	d.PartSchools = map[int64]string{}
	for _, pa := range parts {
		d.PartSchools[pa.ID] = names.name(pa.SchoolID, pa.SchoolCode)
		d.Teacher = d.Teacher || pa.Program == "jindaoshi"
	}
	d.Career = careerEnums{Positions: enumOptions(l, vocab.Positions), Titles: enumOptions(l, vocab.Titles),
		Reasons: enumOptions(l, vocab.Reasons)}
	// the records to correct, for the roles the tracking door lets correct them
	if access.Authorize(caller(r), access.TrackingWrite) == nil {
		if d.Records, err = a.recordGroups(r, id); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.render(w, r, status, "person", "person.title", d)
}

// timelineOf turns an event into a line of the history.
func timelineOf(e person.TimelineEvent, l Lang) timelineItem {
	var det map[string]any
	_ = json.Unmarshal(e.Detail, &det)
	s := func(k string) string {
		if v, ok := det[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	lab := func(prefix, k string) string {
		if v := s(k); v != "" {
			return l.T(prefix + v)
		}
		return ""
	}
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, " · ")
	}
	it := timelineItem{On: e.On.Format(time.DateOnly), Actor: e.Actor, Deleted: e.Deleted}
	family, step, _ := strings.Cut(e.Kind, ".")
	it.Kind = family
	switch family {
	case "participation":
		it.Label = l.T("step." + step)
		it.Summary = join(l.Edition(s("edition")), s("school_name"), lab("category.", "category"), lab("evaluation.", "evaluation"))
	case "school_year":
		it.Label = l.T("tl.school_year")
		it.Summary = join(s("school_name"), s("school_year"))
	case "award":
		it.Label = l.T("tl.award")
		it.Summary = join(s("competition"), lab("level.", "level"), s("rank"), lab("verification.", "verification"))
	case "destination":
		it.Label = l.T("tl.destination")
		it.Summary = join(lab("dest.", "type"), s("org_name"), s("major"))
	case "career_move":
		it.Label = l.T("tl.career_move")
		it.Summary = join(lab("position.", "position"), s("org_name"), lab("title.", "title"), lab("reason.", "reason"))
	case "follow_up":
		it.Label = l.T("tl.follow_up")
		it.Summary = join(lab("channel.", "channel"), lab("outcome.", "outcome"), s("notes"))
	case "edit":
		it.Label = l.T("tl.edit." + step)
		var fields []string
		if ch, ok := det["changes"].(map[string]any); ok {
			for k := range ch {
				fields = append(fields, l.Field(k))
			}
		}
		sort.Strings(fields)
		it.Summary = join(l.T("entity."+e.Entity), strings.Join(fields, ", "))
	default:
		it.Label = e.Kind
	}
	return it
}

// updatePerson saves the edit form through the person door at the version the form was
// read at: name, guardian name and the two phones (a phone left blank is kept; "clear"
// removes it). When the person changed since, the door refuses (ErrStale) and the page
// says so, showing the current record.
func (a *app) updatePerson(w http.ResponseWriter, r *http.Request) {
	id, ok := personPath(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	f := newForm(r, "edit", "name", "guardian_name", "phone", "guardian_phone", "clear_phone",
		"clear_guardian_phone", "version")
	version, err := strconv.Atoi(f.Values["version"])
	if err != nil || version < 1 {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	name := f.required("name")
	in := person.Input{Name: person.Field{Set: true, Value: &name},
		GuardianName: person.Field{Set: true, Value: f.optional("guardian_name", 100)}}
	if len([]rune(f.Values["name"])) > 100 {
		f.fail("name", "form.too_long")
	}
	for _, ph := range []struct {
		field, clear string
		dst          *person.Field
	}{{"phone", "clear_phone", &in.Phone}, {"guardian_phone", "clear_guardian_phone", &in.GuardianPhone}} {
		switch v := f.Values[ph.field]; {
		case f.Values[ph.clear] != "":
			*ph.dst = person.Field{Set: true}
		case v != "":
			if _, err := identity.NormalizePhone(v); err != nil {
				f.fail(ph.field, "form.phone")
			}
			*ph.dst = person.Field{Set: true, Value: &v}
		}
	}
	if !f.OK() {
		a.showPerson(w, r, id, nil, f, http.StatusUnprocessableEntity)
		return
	}
	_, err = a.doors.Persons.Update(r.Context(), caller(r), id, version, func(person.Person) (person.Input, error) {
		return in, nil
	})
	var ke *access.ConsentError
	switch {
	case err == nil:
		redirectDone(w, r, "/persons/"+strconv.FormatInt(id, 10), "person", "")
		return
	case errors.Is(err, access.ErrStale):
		f.General = f.lang.T("form.stale")
		// the form now carries the current version: saving again is a decision taken
		// with the current record in view
		if cur, err := a.doors.Persons.Get(r.Context(), caller(r), id); err == nil {
			f.Values["version"] = strconv.Itoa(cur.Version)
		}
		a.showPerson(w, r, id, nil, f, http.StatusPreconditionFailed)
		return
	case len(check.All(err)) > 0:
		for _, fe := range check.All(err) {
			if _, known := f.Values[fe.Field]; known {
				f.failText(fe.Field, fe.Message)
			} else {
				f.General = strings.TrimSpace(f.General + " " + f.lang.Pick(fe.Message))
			}
		}
	case errors.As(err, &ke):
		f.General = f.lang.Pick(withdrawnConsent)
	case errors.Is(err, access.ErrConflict):
		f.General = f.lang.T("form.duplicate")
	default:
		a.fail(w, r, err)
		return
	}
	a.showPerson(w, r, id, nil, f, http.StatusUnprocessableEntity)
}

// withdrawnConsent explains why a person's record cannot be changed any more.
const withdrawnConsent = "监护人已撤回同意，该人员的数据不再处理 / The guardian withdrew consent: this person's data is no longer processed."

// addCareerMove records a career move (工作变动) of a teacher from the person page.
func (a *app) addCareerMove(w http.ResponseWriter, r *http.Request) {
	q, ok := a.readQuick(w, r, "cm-", "org_name", "position", "title", "started_on", "reason")
	if !ok {
		return
	}
	f := q.f
	f.text("org_name", 200)
	f.enum("position", vocab.Positions)
	f.pastDate("started_on", a.today())
	d := tracking.CareerMoveDraft{OrgName: quickValue(f, "org_name"), Position: quickValue(f, "position"),
		Title: f.optional("title", 50), StartedOn: quickValue(f, "started_on"), Reason: f.optional("reason", 50)}
	quickWrite(a, w, r, q, "career_move", d, (*tracking.Service).CreateCareerMove)
}
