package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/report"
)

// Publishing reports: the office freezes the annual report of a year or the cohort report
// of an edition as published (report.Service.Freeze); a frozen report's page shows what
// differs from the previous publication of the same report and from its recomputation
// today (report.Compare, report.Service.Diff), the figures named in words.

type publishData struct {
	Frozen   []publishedRow
	Editions []option
	Kinds    []option
	Year     string
	Form     *form
}

type publishedRow struct {
	report.Frozen
	KindLabel, What string
}

func (a *app) showPublish(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	d := publishData{Form: f, Year: f.Val("year", strconv.Itoa(a.today().Year()-1))}
	var err error
	if d.Editions, _, err = a.editionChoice(ctx, c, l, f.Val("edition", "")); err != nil {
		a.fail(w, r, err)
		return
	}
	kind := f.Val("kind", report.KindAnnual)
	for _, k := range []string{report.KindAnnual, report.KindCohort} {
		d.Kinds = append(d.Kinds, option{Value: k, Label: l.T("frozen." + k), Selected: k == kind})
	}
	frozen, err := a.doors.Reports.FrozenList(ctx, c, report.FrozenFilter{Limit: 500})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for i := len(frozen) - 1; i >= 0; i-- {
		d.Frozen = append(d.Frozen, publishedRow{Frozen: frozen[i], KindLabel: l.T("frozen." + frozen[i].Kind),
			What: paramsText(l, frozen[i].Params)})
	}
	a.render(w, r, formStatus(f), "publish", "office.publish_title", d)
}

// paramsText says what a frozen report covers: the year or the edition.
func paramsText(l Lang, raw json.RawMessage) string {
	var p report.Params
	if err := json.Unmarshal(raw, &p); err != nil {
		return ""
	}
	switch {
	case p.Edition != "":
		return l.Edition(p.Edition)
	case p.Year != 0:
		return fmt.Sprintf(l.T("office.year_of"), p.Year)
	}
	return ""
}

// officeFreeze publishes a report as frozen.
func (a *app) officeFreeze(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, "freeze", "kind", "year", "edition")
	var p report.Params
	kind := f.required("kind")
	switch kind {
	case report.KindAnnual:
		y, err := strconv.Atoi(f.required("year"))
		if err != nil && f.Values["year"] != "" {
			f.fail("year", "form.number")
		}
		p.Year = y
	case report.KindCohort:
		p.Edition = f.required("edition")
	case "":
	default:
		f.fail("kind", "form.choice")
	}
	p.Publish = true
	if !f.OK() {
		a.showPublish(w, r, f)
		return
	}
	fr, _, err := a.doors.Reports.Freeze(r.Context(), caller(r), kind, p, time.Time{})
	if err == nil {
		redirectDone(w, r, "/office/reports/"+strconv.FormatInt(fr.ID, 10), "frozen", "")
		return
	}
	a.answer(w, r, f, err, "/office/reports", "frozen", func(f *form) { a.showPublish(w, r, f) })
}

type frozenData struct {
	F             report.Frozen
	KindLabel     string
	What          string
	Previous      *report.Frozen
	SincePrevious []changeRow
	SinceFrozen   []changeRow
	DiffErr       bool
}

type changeRow struct {
	Figure, Frozen, Now string
}

func (a *app) officeFrozen(w http.ResponseWriter, r *http.Request) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	id, ok := idParam(r, "id")
	if !ok {
		a.notFound(w, r)
		return
	}
	fr, err := a.doors.Reports.FrozenGet(ctx, c, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := frozenData{F: fr, KindLabel: l.T("frozen." + fr.Kind), What: paramsText(l, fr.Params)}
	names := a.figureNames(r, l)
	kind := fr.Kind
	all, err := a.doors.Reports.FrozenList(ctx, c, report.FrozenFilter{Kind: &kind, Limit: 1000})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var prevID int64
	for _, x := range all {
		if x.ID < fr.ID && samePublication(x.Params, fr.Params) {
			prevID = x.ID
		}
	}
	if prevID != 0 {
		prev, err := a.doors.Reports.FrozenGet(ctx, c, prevID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.Previous = &prev
		changes, err := report.Compare(prev, fr)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.SincePrevious = changeRows(changes, names)
	}
	diff, err := a.doors.Reports.Diff(ctx, c, fr.ID)
	if err != nil {
		a.log.Warn("web: frozen report diff", "request_id", requestID(w), "err", err.Error())
		d.DiffErr = true
	} else {
		d.SinceFrozen = changeRows(diff.Changes, names)
	}
	a.render(w, r, http.StatusOK, "frozen", "office.frozen_title", d)
}

// samePublication reports whether two frozen reports were asked with the same parameters.
func samePublication(x, y json.RawMessage) bool {
	var a, b report.Params
	if json.Unmarshal(x, &a) != nil || json.Unmarshal(y, &b) != nil {
		return bytes.Equal(x, y)
	}
	return a == b
}

// changeRows names each changed figure; a value absent on one side is "—".
func changeRows(cs []report.Change, name func(string) string) []changeRow {
	out := make([]changeRow, len(cs))
	val := func(v any) string {
		if v == nil {
			return "—"
		}
		return jsonText(v)
	}
	for i, ch := range cs {
		out[i] = changeRow{Figure: name(ch.Path), Frozen: val(ch.Frozen), Now: val(ch.Now)}
	}
	return out
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.Trim(string(b), `"`)
}

// figureNames names a figure's path (participants.jingke.by_region.510100) in words: each
// part as a region's name, an enumeration's label or a report section's name.
func (a *app) figureNames(r *http.Request, l Lang) func(string) string {
	regions := map[string]string{}
	if rs, err := a.doors.Reports.Regions(r.Context(), caller(r)); err == nil {
		for _, x := range rs {
			regions[x.Code] = x.NameZh
			if l == langEn {
				regions[x.Code] = x.NameEn
			}
		}
	}
	return func(path string) string {
		parts := strings.Split(strings.ReplaceAll(path, "[", ".["), ".")
		out := make([]string, 0, len(parts))
		for _, p := range parts {
			if p == "" {
				continue
			}
			if n, ok := regions[p]; ok {
				out = append(out, n)
				continue
			}
			if strings.HasPrefix(p, "[") {
				out = append(out, p)
				continue
			}
			out = append(out, figurePart(l, p))
		}
		return strings.Join(out, " · ")
	}
}

// figurePart names one part of a figure's path: a report section (figure.*), else the
// label of the first enumeration that knows the key, else the key itself.
func figurePart(l Lang, p string) string {
	if t := l.T("figure." + p); t != "figure."+p {
		return t
	}
	for _, prefix := range []string{"program", "status", "level", "category", "dest", "evaluation", "grade", "band", "reason", "position", "title", "gender"} {
		if e, ok := terms[prefix]; ok && e.Valid(p) {
			return l.T(prefix + "." + p)
		}
	}
	return p
}
