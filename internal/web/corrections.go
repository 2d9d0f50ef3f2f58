package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// Corrections on the person page: every award, follow-up, destination and career move of
// the person is listed with an edit form that carries the version it was read at, and a
// delete (or, once deleted, a restore) button carrying it too. Each goes through the
// tracking door's Update/Delete/Restore, so the rules, the scope, the consent gate and
// the audit row are the API's; a save over a newer version is refused (If-Match
// semantics) and said in words, with what the user typed kept.

// recField is one field of a record's edit form.
type recField struct {
	Name     string   // the form's and the door's field name
	Label    string   // text key of the label
	Type     string   // text, date or select
	Options  []option // a select's choices
	Required bool
	Max      int // characters, for text
}

// recordRow is one record as the page lists it.
type recordRow struct {
	Kind    string // award, follow_up, destination, career_move
	ID      int64
	Version int
	Deleted bool
	On      string
	Summary string
	Values  map[string]string // the record's fields as the edit form shows them
	Fields  []recField
}

// recordGroup is the records of one kind.
type recordGroup struct {
	Kind  string
	Title string
	Rows  []recordRow
}

// recordKind is what the page does with records of one kind, the door's methods bound.
type recordKind struct {
	kind   string
	title  string
	fields func(l Lang) []recField
	rows   func(ctx context.Context, t *tracking.Service, c access.Caller, personID int64, l Lang) ([]recordRow, error)
	update func(ctx context.Context, t *tracking.Service, c access.Caller, id int64, version int, f *form) error
	setDel func(ctx context.Context, t *tracking.Service, c access.Caller, id int64, version int, deleted bool) error
	verOf  func(ctx context.Context, t *tracking.Service, c access.Caller, id int64) (int, error)
}

// kindOf binds the door's methods of one record type R (its draft D) into a recordKind.
func kindOf[R, D any](kind, title string, fields func(Lang) []recField,
	list func(*tracking.Service, context.Context, access.Caller, int64, bool) ([]R, error),
	get func(*tracking.Service, context.Context, access.Caller, int64) (R, error),
	view func(R, Lang) recordRow,
	draft func(*form) D,
	update func(*tracking.Service, context.Context, access.Caller, int64, int, func(R) (D, error)) (R, error),
	del, restore func(*tracking.Service, context.Context, access.Caller, int64, *int) (R, error)) recordKind {
	return recordKind{kind: kind, title: title, fields: fields,
		rows: func(ctx context.Context, t *tracking.Service, c access.Caller, personID int64, l Lang) ([]recordRow, error) {
			rs, err := list(t, ctx, c, personID, true)
			if err != nil {
				return nil, err
			}
			out := make([]recordRow, 0, len(rs))
			for i := len(rs) - 1; i >= 0; i-- { // newest first
				row := view(rs[i], l)
				row.Kind, row.Fields = kind, fields(l)
				out = append(out, row)
			}
			return out, nil
		},
		update: func(ctx context.Context, t *tracking.Service, c access.Caller, id int64, version int, f *form) error {
			d := draft(f)
			_, err := update(t, ctx, c, id, version, func(R) (D, error) { return d, nil })
			return err
		},
		setDel: func(ctx context.Context, t *tracking.Service, c access.Caller, id int64, version int, deleted bool) error {
			op := restore
			if deleted {
				op = del
			}
			_, err := op(t, ctx, c, id, &version)
			return err
		},
		verOf: func(ctx context.Context, t *tracking.Service, c access.Caller, id int64) (int, error) {
			r, err := get(t, ctx, c, id)
			if err != nil {
				return 0, err
			}
			return view(r, langZh).Version, nil
		},
	}
}

// opt is a form value as a draft takes it: nil when left empty.
func opt(f *form, field string) *string {
	if v := f.Values[field]; v != "" {
		return &v
	}
	return nil
}

func optDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// withBlank puts an empty choice before the options of an optional select.
func withBlank(o []option) []option { return append([]option{{Value: "", Label: "—"}}, o...) }

var recordKinds = map[string]recordKind{
	"award": kindOf("award", "records.awards",
		func(l Lang) []recField {
			return []recField{{Name: "competition", Label: "field.competition", Type: "text", Required: true, Max: 200},
				{Name: "level", Label: "field.level", Type: "select", Options: enumOptions(l, vocab.Levels), Required: true},
				{Name: "rank", Label: "field.rank", Type: "text", Max: 50},
				{Name: "awarded_on", Label: "field.awarded_on", Type: "date", Required: true},
				{Name: "organizer", Label: "field.organizer", Type: "text", Max: 200}}
		},
		(*tracking.Service).ListAwards, (*tracking.Service).GetAward,
		func(a tracking.Award, l Lang) recordRow {
			return recordRow{ID: a.ID, Version: a.Version, Deleted: a.DeletedAt != nil, On: a.AwardedOn.Format(time.DateOnly),
				Summary: joinNonEmpty(a.Competition, l.T("level."+a.Level), deref(a.Rank), l.T("verification."+a.Verification)),
				Values: map[string]string{"competition": a.Competition, "level": a.Level, "rank": deref(a.Rank),
					"awarded_on": a.AwardedOn.Format(time.DateOnly), "organizer": deref(a.Organizer)}}
		},
		func(f *form) tracking.AwardDraft {
			return tracking.AwardDraft{Competition: opt(f, "competition"), Level: opt(f, "level"), Rank: opt(f, "rank"),
				AwardedOn: opt(f, "awarded_on"), Organizer: opt(f, "organizer")}
		},
		(*tracking.Service).UpdateAward, (*tracking.Service).DeleteAward, (*tracking.Service).RestoreAward),
	"follow_up": kindOf("follow_up", "records.follow_ups",
		func(l Lang) []recField {
			return []recField{{Name: "contacted_on", Label: "field.contacted_on", Type: "date", Required: true},
				{Name: "channel", Label: "field.channel", Type: "select", Options: enumOptions(l, vocab.Channels), Required: true},
				{Name: "outcome", Label: "field.outcome", Type: "select", Options: enumOptions(l, vocab.Outcomes), Required: true},
				{Name: "notes", Label: "field.notes", Type: "text", Max: 2000}}
		},
		(*tracking.Service).ListFollowUps, (*tracking.Service).GetFollowUp,
		func(u tracking.FollowUp, l Lang) recordRow {
			return recordRow{ID: u.ID, Version: u.Version, Deleted: u.DeletedAt != nil, On: u.ContactedOn.Format(time.DateOnly),
				Summary: joinNonEmpty(l.T("channel."+u.Channel), l.T("outcome."+u.Outcome), deref(u.Notes)),
				Values: map[string]string{"contacted_on": u.ContactedOn.Format(time.DateOnly), "channel": u.Channel,
					"outcome": u.Outcome, "notes": deref(u.Notes)}}
		},
		func(f *form) tracking.FollowUpDraft {
			return tracking.FollowUpDraft{ContactedOn: opt(f, "contacted_on"), Channel: opt(f, "channel"),
				Outcome: opt(f, "outcome"), Notes: opt(f, "notes")}
		},
		(*tracking.Service).UpdateFollowUp, (*tracking.Service).DeleteFollowUp, (*tracking.Service).RestoreFollowUp),
	"destination": kindOf("destination", "records.destinations",
		func(l Lang) []recField {
			return []recField{{Name: "type", Label: "field.dest_type", Type: "select", Options: enumOptions(l, vocab.DestinationTypes), Required: true},
				{Name: "org_name", Label: "field.org_name", Type: "text", Max: 200},
				{Name: "major", Label: "field.major", Type: "text", Max: 100},
				{Name: "started_on", Label: "field.started_on", Type: "date", Required: true}}
		},
		(*tracking.Service).ListDestinations, (*tracking.Service).GetDestination,
		func(d tracking.Destination, l Lang) recordRow {
			return recordRow{ID: d.ID, Version: d.Version, Deleted: d.DeletedAt != nil, On: d.StartedOn.Format(time.DateOnly),
				Summary: joinNonEmpty(l.T("dest."+d.Type), deref(d.OrgName), deref(d.Major)),
				Values: map[string]string{"type": d.Type, "org_name": deref(d.OrgName), "major": deref(d.Major),
					"started_on": d.StartedOn.Format(time.DateOnly)}}
		},
		func(f *form) tracking.DestinationDraft {
			return tracking.DestinationDraft{Type: opt(f, "type"), OrgName: opt(f, "org_name"), Major: opt(f, "major"),
				StartedOn: opt(f, "started_on")}
		},
		(*tracking.Service).UpdateDestination, (*tracking.Service).DeleteDestination, (*tracking.Service).RestoreDestination),
	"career_move": kindOf("career_move", "records.career_moves",
		func(l Lang) []recField {
			return []recField{{Name: "org_name", Label: "field.career_org", Type: "text", Required: true, Max: 200},
				{Name: "position", Label: "field.position", Type: "select", Options: enumOptions(l, vocab.Positions), Required: true},
				{Name: "title", Label: "field.title", Type: "select", Options: withBlank(enumOptions(l, vocab.Titles))},
				{Name: "started_on", Label: "field.started_on", Type: "date", Required: true},
				{Name: "ended_on", Label: "field.ended_on", Type: "date"},
				{Name: "reason", Label: "field.reason", Type: "select", Options: withBlank(enumOptions(l, vocab.Reasons))}}
		},
		(*tracking.Service).ListCareerMoves, (*tracking.Service).GetCareerMove,
		func(m tracking.CareerMove, l Lang) recordRow {
			org := deref(m.OrgName)
			if org == "" {
				org = deref(m.OrgCode)
			}
			title, reason, ended := "", "", ""
			if m.Title != nil {
				title = l.T("title." + *m.Title)
			}
			if m.Reason != nil {
				reason = l.T("reason." + *m.Reason)
			}
			if m.EndedExplicit {
				ended = optDate(m.EndedOn)
			}
			return recordRow{ID: m.ID, Version: m.Version, Deleted: m.DeletedAt != nil, On: m.StartedOn.Format(time.DateOnly),
				Summary: joinNonEmpty(l.T("position."+m.Position), org, title, reason),
				Values: map[string]string{"org_name": org, "position": m.Position, "title": deref(m.Title),
					"started_on": m.StartedOn.Format(time.DateOnly), "ended_on": ended, "reason": deref(m.Reason)}}
		},
		func(f *form) tracking.CareerMoveDraft {
			return tracking.CareerMoveDraft{OrgName: opt(f, "org_name"), Position: opt(f, "position"), Title: opt(f, "title"),
				StartedOn: opt(f, "started_on"), EndedOn: opt(f, "ended_on"), Reason: opt(f, "reason")}
		},
		(*tracking.Service).UpdateCareerMove, (*tracking.Service).DeleteCareerMove, (*tracking.Service).RestoreCareerMove),
}

// recordOrder is the order of the groups on the page.
var recordOrder = []string{"award", "follow_up", "destination", "career_move"}

// recordGroups lists the person's records of every kind, deleted ones included.
func (a *app) recordGroups(r *http.Request, personID int64) ([]recordGroup, error) {
	l := langOf(r)
	var out []recordGroup
	for _, k := range recordOrder {
		rk := recordKinds[k]
		rows, err := rk.rows(r.Context(), a.doors.Tracking, caller(r), personID, l)
		if err != nil {
			return nil, err
		}
		out = append(out, recordGroup{Kind: k, Title: l.T(rk.title), Rows: rows})
	}
	return out, nil
}

// recordKey names the form of one record on the page.
func recordKey(kind string, id int64) string { return "rec-" + kind + "-" + strconv.FormatInt(id, 10) }

// recordPath reads {id}, {kind} and {rid} of a record route.
func (a *app) recordPath(w http.ResponseWriter, r *http.Request) (personID int64, rk recordKind, id int64, ok bool) {
	personID, ok = personPath(r)
	rk, known := recordKinds[chi.URLParam(r, "kind")]
	id, err := strconv.ParseInt(chi.URLParam(r, "rid"), 10, 64)
	if !ok || !known || err != nil || id <= 0 {
		a.notFound(w, r)
		return 0, recordKind{}, 0, false
	}
	return personID, rk, id, true
}

// checkRecord runs the page's own checks of an edit form: every field at once (required,
// length, a date that is a date and not in the future, a listed choice), so a form with
// several mistakes shows each next to its field.
func checkRecord(f *form, fields []recField, today time.Time) {
	for _, fd := range fields {
		v := f.Values[fd.Name]
		if v == "" {
			if fd.Required {
				f.fail(fd.Name, "form.required")
			}
			continue
		}
		switch fd.Type {
		case "text":
			if fd.Max > 0 && len([]rune(v)) > fd.Max {
				f.fail(fd.Name, "form.too_long")
			}
		case "date":
			if d, err := time.Parse(time.DateOnly, v); err != nil {
				f.fail(fd.Name, "form.date")
			} else if d.After(today) {
				f.fail(fd.Name, "form.future")
			}
		case "select":
			found := false
			for _, o := range fd.Options {
				found = found || o.Value == v
			}
			if !found {
				f.fail(fd.Name, "form.choice")
			}
		}
	}
}

// updateRecord saves a record's edit form at the version it was read at.
func (a *app) updateRecord(w http.ResponseWriter, r *http.Request) {
	personID, rk, id, ok := a.recordPath(w, r)
	if !ok {
		return
	}
	fields := rk.fields(langOf(r))
	names := []string{"version"}
	for _, fd := range fields {
		names = append(names, fd.Name)
	}
	f := newForm(r, recordKey(rk.kind, id), names...)
	version, err := strconv.Atoi(f.Values["version"])
	if err != nil || version < 1 {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	checkRecord(f, fields, a.today())
	if f.OK() {
		err = rk.update(r.Context(), a.doors.Tracking, caller(r), id, version, f)
	}
	a.recordDone(w, r, personID, rk, id, f, err, "record_saved")
}

// deleteRecord soft-deletes a record; restoreRecord brings it back.
func (a *app) deleteRecord(w http.ResponseWriter, r *http.Request)  { a.setRecordDeleted(w, r, true) }
func (a *app) restoreRecord(w http.ResponseWriter, r *http.Request) { a.setRecordDeleted(w, r, false) }

func (a *app) setRecordDeleted(w http.ResponseWriter, r *http.Request, deleted bool) {
	personID, rk, id, ok := a.recordPath(w, r)
	if !ok {
		return
	}
	f := newForm(r, recordKey(rk.kind, id), "version")
	version, err := strconv.Atoi(f.Values["version"])
	if err != nil || version < 1 {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	done := "record_restored"
	if deleted {
		done = "record_deleted"
	}
	err = rk.setDel(r.Context(), a.doors.Tracking, caller(r), id, version, deleted)
	a.recordDone(w, r, personID, rk, id, f, err, done)
}

// recordDone answers a correction: back to the person page with a confirmation, or the
// page again with the form's errors (a stale version in words, with what was typed and
// the current version, so saving again is a decision taken with the current record in view).
func (a *app) recordDone(w http.ResponseWriter, r *http.Request, personID int64, rk recordKind, id int64, f *form,
	err error, done string) {
	status := http.StatusUnprocessableEntity
	switch {
	case !f.OK():
	case err == nil:
		redirectDone(w, r, "/persons/"+strconv.FormatInt(personID, 10), done, "records")
		return
	case a.refusedAccess(w, r, err):
		return
	case errors.Is(err, access.ErrStale):
		f.General = f.lang.T("form.stale_record")
		if v, gerr := rk.verOf(r.Context(), a.doors.Tracking, caller(r), id); gerr == nil {
			f.Values["version"] = strconv.Itoa(v)
		}
		status = http.StatusPreconditionFailed
	case errors.Is(err, tracking.ErrDeleted):
		f.General = f.lang.T("form.record_deleted")
	case quickRefused(f, err):
	default:
		a.serverError(w, r, fmt.Errorf("web: correct %s %d: %w", rk.kind, id, err))
		return
	}
	a.showPerson(w, r, personID, f, nil, status)
}
