package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/edition"
	"talentdb/internal/report"
)

// The report endpoints: GET /reports/cohort and /reports/annual answer the contract's
// JSON (report.Cohort, report.Annual); ?format= or the Accept header picks CSV or XLSX;
// ?publish=true applies publication mode; region, school, category (and program for the
// annual report) cut them. Reports can be frozen as published and diffed later.

// cutParams are the query parameters that cut a report.
var cutParams = []string{"region", "school", "category"}

// reportQuery starts the query of a report endpoint: its own parameters plus as_of,
// format and publish.
func reportQuery(r *http.Request, params ...string) *query {
	return newQuery(r, append(params, "as_of", "format", "publish")...)
}

// asOfParam reads as_of; zero when absent, which the report door reads as today.
func asOfParam(q *query) time.Time {
	if d := q.date("as_of"); d != nil {
		return *d
	}
	return time.Time{}
}

// publishParam reads publish=true|false.
func publishParam(q *query) bool {
	v := q.enum("publish", "true", "false")
	return v != nil && *v == "true"
}

// reportOpts reads what every report read takes: as_of, publish and, when cut, the cut.
func reportOpts(q *query, cut bool) report.Query {
	rq := report.Query{AsOf: asOfParam(q), Publish: publishParam(q)}
	if cut {
		rq.Cut = cutParam(q)
	}
	return rq
}

// cutParam reads the cut of a report; program only when the endpoint accepts it.
func cutParam(q *query) report.Cut {
	var c report.Cut
	for _, p := range []struct {
		name string
		dst  *string
	}{{"region", &c.Region}, {"school", &c.School}, {"category", &c.Category}, {"program", &c.Program}} {
		if v := q.str(p.name); v != nil {
			*p.dst = *v
		}
	}
	if c.Region != "" && !reRegion.MatchString(c.Region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	return c
}

// serveReport answers a report read once its parameters are read into q: the parameter
// errors' 400, else the Accept header's 406, else the report get computes (through the
// report door, as the caller) in the format asked. rename is failReport's.
func serveReport[T any, P interface {
	*T
	report.Report
}](w http.ResponseWriter, r *http.Request, q *query, get func(c access.Caller) (T, error), rename ...string) {
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	rep, err := get(callerFrom(r))
	if err != nil {
		failReport(w, r, err, rename...)
		return
	}
	respondReport(w, r, f, P(&rep))
}

// intParam reads an integer parameter, def when absent.
func intParam(q *query, name string, def int) int {
	if v := q.int(name); v != nil {
		return int(*v)
	}
	return def
}

// xlsxType is the media type of an XLSX workbook.
var xlsxType = report.FormatXLSX.ContentType()

// formatParam picks the encoding: ?format= (json, csv, xlsx) when given, else the
// Accept header (the supported type with the highest q; */* and no header mean JSON).
// An Accept header that allows none of the three is 406.
func formatParam(q *query, r *http.Request) (report.Format, error) {
	if v := q.str("format"); v != nil {
		f, err := report.ParseFormat(*v)
		if err != nil {
			q.add("format", "enum", "format 必须是 json、csv 或 xlsx / format must be json, csv or xlsx")
			return report.FormatJSON, nil
		}
		return f, nil
	}
	accept := strings.TrimSpace(r.Header.Get("Accept"))
	if accept == "" {
		return report.FormatJSON, nil
	}
	best, bestQ := report.Format(""), 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		qv := 1.0
		if s, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				qv = f
			}
		}
		var f report.Format
		switch mt {
		case "application/json", "application/*", "*/*", "application/problem+json":
			f = report.FormatJSON
		case "text/csv", "text/*":
			f = report.FormatCSV
		case xlsxType:
			f = report.FormatXLSX
		default:
			continue
		}
		if qv > bestQ {
			best, bestQ = f, qv
		}
	}
	if best == "" {
		return "", newProblem(http.StatusNotAcceptable, ProblemNotAcceptable, "Not acceptable",
			"只提供 application/json、text/csv 或 XLSX / Only application/json, text/csv and XLSX ("+xlsxType+") are offered.")
	}
	return best, nil
}

// ProblemNotAcceptable is the type of a 406: the Accept header allows no format the
// endpoint offers.
const ProblemNotAcceptable = problemBase + "not-acceptable"

// respondReport encodes rep in format f: JSON as the contract shows it, CSV and XLSX as
// attachments named after the report.
func respondReport(w http.ResponseWriter, r *http.Request, f report.Format, rep report.Report) {
	var buf bytes.Buffer
	if err := report.Write(&buf, f, rep); err != nil {
		fail(w, r, err)
		return
	}
	respondEncoded(w, f, rep.Name(), buf.Bytes())
}

// respondEncoded sends an encoded report; name is the base of an attachment's file name.
func respondEncoded(w http.ResponseWriter, f report.Format, name string, body []byte) {
	h := w.Header()
	h.Add("Vary", "Accept")
	if f == report.FormatJSON {
		h.Set("Content-Type", "application/json; charset=utf-8")
	} else {
		h.Set("Content-Type", f.ContentType())
		file := name + "." + string(f)
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, file,
			url.PathEscape(file)))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// failReport answers a report's errors: an unknown edition of a cohort report is 404, any
// other refused parameter 400 naming it; param renames the report's parameter names to
// the endpoint's (the comparison's "edition" is its "editions").
func failReport(w http.ResponseWriter, r *http.Request, err error, rename ...string) {
	var pe *report.ParamError
	if !errors.As(err, &pe) {
		fail(w, r, err)
		return
	}
	field := pe.Param
	for i := 0; i+1 < len(rename); i += 2 {
		if field == rename[i] {
			field = rename[i+1]
		}
	}
	if field == "edition" && errors.Is(err, report.ErrUnknownEdition) {
		fail(w, r, newProblem(http.StatusNotFound, ProblemNotFound, "Not found", pe.Message))
		return
	}
	fail(w, r, fieldProblem(field, pe.Rule, pe.Message))
}

// cohortReport serves GET /reports/cohort?edition=ID[&as_of=DATE][&region=][&school=]
// [&category=][&publish=true][&format=json|csv|xlsx].
func (s *server) cohortReport(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, append(cutParams, "edition")...)
	ed := q.str("edition")
	if ed == nil {
		q.add("edition", "required", "需要 edition（年度，如 jingke-2023） / edition is required, e.g. jingke-2023")
	} else if _, err := edition.ParseID(*ed); err != nil {
		q.add("edition", "format", "edition 应为 PROGRAM-YEAR，如 jingke-2023 / edition must be PROGRAM-YEAR, e.g. jingke-2023")
	}
	rq := reportOpts(q, true)
	serveReport(w, r, q, func(c access.Caller) (report.CohortReport, error) {
		return s.doors.Reports.Cohort(r.Context(), c, *ed, rq)
	})
}

// firstProblem is the parameter errors' 400 when there is one, else the format's 406.
func firstProblem(paramErr, formatErr error) error {
	if paramErr != nil {
		return paramErr
	}
	return formatErr
}

// annualReport serves GET /reports/annual?year=YYYY[&as_of=DATE][&region=][&school=]
// [&category=][&program=][&publish=true][&format=json|csv|xlsx].
func (s *server) annualReport(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, append(cutParams, "year", "program")...)
	year := q.int("year")
	if year == nil && q.str("year") == nil {
		q.add("year", "required", "需要 year（四位年份） / year is required (four digits)")
	}
	rq := reportOpts(q, true)
	serveReport(w, r, q, func(c access.Caller) (report.AnnualReport, error) {
		return s.doors.Reports.Annual(r.Context(), c, int(*year), rq)
	})
}

// frozenView is a frozen report in lists and as the answer of a freeze.
type frozenView struct {
	ID       int64          `json:"id"`
	Kind     string         `json:"kind"`
	Params   map[string]any `json:"params"`
	AsOf     string         `json:"as_of"`
	FrozenBy string         `json:"frozen_by"`
	FrozenAt time.Time      `json:"frozen_at"`
	Body     string         `json:"body"`
	Diff     string         `json:"diff"`
}

func viewFrozen(fr report.Frozen) frozenView {
	v := frozenView{ID: fr.ID, Kind: fr.Kind, AsOf: dateString(fr.AsOf), FrozenBy: fr.FrozenBy,
		FrozenAt: fr.FrozenAt.UTC(), Body: frozenPath(fr.ID), Diff: frozenPath(fr.ID) + "/diff"}
	_ = json.Unmarshal(fr.Params, &v.Params) // written by report.Freeze: always an object
	return v
}

func frozenPath(id int64) string { return "/api/v1/reports/frozen/" + strconv.FormatInt(id, 10) }

// listFrozenReports serves GET /reports/frozen[?kind=cohort|annual][&limit=][&after=]:
// the frozen reports, oldest first, without their bodies.
func (s *server) listFrozenReports(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "kind")
	kind := q.enum("kind", report.KindCohort, report.KindAnnual)
	limit := q.limit()
	var after int64
	q.after(&after)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Reports.FrozenList(r.Context(), callerFrom(r), report.FrozenFilter{Kind: kind, AfterID: after,
		Limit: limit + 1})
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, limit, func(fr report.Frozen) any { return fr.ID }, viewFrozen)
}

// freezeBody is the body of POST /reports/frozen: the report to compute and freeze.
type freezeBody struct {
	Kind     *string `json:"kind"`
	Edition  *string `json:"edition"`
	Year     *int    `json:"year"`
	AsOf     *string `json:"as_of"`
	Publish  *bool   `json:"publish"`
	Region   *string `json:"region"`
	School   *string `json:"school"`
	Category *string `json:"category"`
	Program  *string `json:"program"`
}

// freezeReport serves POST /reports/frozen: computes a cohort or annual report and
// stores it as published, frozen_by the caller; 201 with its Location and the stored row.
func (s *server) freezeReport(w http.ResponseWriter, r *http.Request) {
	var b freezeBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	c := &checker{}
	kind := c.required("kind", b.Kind)
	var asOf time.Time // zero: the door's today
	if b.AsOf != nil {
		if d, err := edition.ParseDate(*b.AsOf); err != nil {
			c.add("as_of", "date", "as_of 必须是 YYYY-MM-DD 日期 / as_of must be a date YYYY-MM-DD")
		} else {
			asOf = d
		}
	}
	if err := c.err(); err != nil {
		fail(w, r, err)
		return
	}
	p := report.Params{Publish: b.Publish != nil && *b.Publish}
	for _, f := range []struct {
		src *string
		dst *string
	}{{b.Edition, &p.Edition}, {b.Region, &p.Region}, {b.School, &p.School}, {b.Category, &p.Category},
		{b.Program, &p.Program}} {
		if f.src != nil {
			*f.dst = strings.TrimSpace(*f.src)
		}
	}
	if b.Year != nil {
		p.Year = *b.Year
	}
	switch kind {
	case report.KindCohort:
		if p.Edition == "" {
			fail(w, r, fieldProblem("edition", "required", "队列报告需要 edition / a cohort report needs edition"))
			return
		}
	case report.KindAnnual:
		if b.Year == nil {
			fail(w, r, fieldProblem("year", "required", "年度统计报告需要 year / an annual report needs year"))
			return
		}
	}
	fr, _, err := s.doors.Reports.Freeze(r.Context(), callerFrom(r), kind, p, asOf)
	if err != nil {
		failReport(w, r, err)
		return
	}
	w.Header().Set("Location", frozenPath(fr.ID))
	respondJSON(w, http.StatusCreated, viewFrozen(fr))
}

// frozenFor loads the frozen report of the path's {id} (404 when unknown).
func (s *server) frozenFor(r *http.Request) (report.Frozen, error) {
	id, err := pathID(r, "frozen report")
	if err != nil {
		return report.Frozen{}, err
	}
	fr, err := s.doors.Reports.FrozenGet(r.Context(), callerFrom(r), id)
	if errors.Is(err, access.ErrNotFound) {
		return fr, notFoundProblem("frozen report")
	}
	return fr, err
}

// getFrozenReport serves GET /reports/frozen/{id}[?format=json|csv|xlsx]: the body as it
// was frozen, whatever has been corrected since.
func (s *server) getFrozenReport(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "format")
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	fr, err := s.frozenFor(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	name := fmt.Sprintf("frozen-%d-%s", fr.ID, fr.Kind)
	if f == report.FormatJSON {
		respondEncoded(w, f, name, append(fr.Body, '\n'))
		return
	}
	rep, err := report.DecodeFrozen(fr)
	if err != nil {
		fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, f, rep); err != nil {
		fail(w, r, err)
		return
	}
	respondEncoded(w, f, name, buf.Bytes())
}

// diffFrozenReport serves GET /reports/frozen/{id}/diff: the report recomputed with the
// frozen parameters and as_of, and every figure that differs. A report whose parameters
// no longer resolve is 409.
func (s *server) diffFrozenReport(w http.ResponseWriter, r *http.Request) {
	id, ok := queryAndID(w, r, newQuery(r), "frozen report")
	if !ok {
		return
	}
	d, err := s.doors.Reports.Diff(r.Context(), callerFrom(r), id)
	switch {
	case errors.Is(err, report.ErrNotRecomputable):
		fail(w, r, newProblem(http.StatusConflict, ProblemConflict, "Conflict", err.Error()))
	case errors.Is(err, access.ErrNotFound):
		fail(w, r, notFoundProblem("frozen report"))
	case err != nil:
		fail(w, r, err)
	default:
		respondJSON(w, http.StatusOK, d)
	}
}
