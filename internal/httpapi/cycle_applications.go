package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"talentdb/internal/cycle"
	"talentdb/internal/edition"
	"talentdb/internal/vocab"
)

// Applications (申报书): a school's application to take part in an edition, its schedule
// table, submission and the office's review; and the filled form as XLSX.

type phaseView struct {
	Content  string `json:"content"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

// conditionsView is the form's implementation conditions as the API shows and takes them;
// its fields are the cycle door's ApplicationConditions', so either converts to the other.
type conditionsView struct {
	Organization *string `json:"organization"`
	Staff        *string `json:"staff"`
	Environment  *string `json:"environment"`
	TrackRecord  *string `json:"track_record"`
	Rules        *string `json:"rules"`
	Funding      *string `json:"funding"`
}

type applicationView struct {
	ID            int64                 `json:"id"`
	Edition       string                `json:"edition"`
	Program       string                `json:"program"`
	SchoolID      int64                 `json:"school_id"`
	SchoolCode    string                `json:"school_code"`
	Status        string                `json:"status"`
	UnitName      string                `json:"unit_name"`
	UnitType      *string               `json:"unit_type"`
	Address       *string               `json:"address"`
	PostalCode    *string               `json:"postal_code"`
	Head          contactView           `json:"head"`
	Lead          contactView           `json:"lead"`
	Phases        map[string]*phaseView `json:"phases"`
	Conditions    conditionsView        `json:"conditions"`
	AppliedOn     *string               `json:"applied_on"`
	SubmittedAt   *time.Time            `json:"submitted_at"`
	ReviewedAt    *time.Time            `json:"reviewed_at"`
	ReviewedBy    *string               `json:"reviewed_by"`
	ReviewComment *string               `json:"review_comment"`
	stamps
}

func viewApplication(a cycle.Application) applicationView {
	phases := map[string]*phaseView{}
	for _, name := range vocab.Phases.Keys() {
		phases[name] = nil
	}
	for _, p := range a.Phases {
		phases[p.Phase] = &phaseView{Content: p.Content, StartsOn: dateString(p.StartsOn), EndsOn: dateString(p.EndsOn)}
	}
	return applicationView{ID: a.ID, Edition: a.EditionID, Program: a.Program, SchoolID: a.SchoolID,
		SchoolCode: a.SchoolCode, Status: a.Status, UnitName: a.UnitName, UnitType: a.UnitType, Address: a.Address,
		PostalCode: a.PostalCode, Head: contactView(a.Head), Lead: contactView(a.Lead), Phases: phases,
		Conditions: conditionsView(a.Conditions), AppliedOn: optDate(a.AppliedOn), SubmittedAt: a.SubmittedAt,
		ReviewedAt: a.ReviewedAt, ReviewedBy: a.ReviewedBy, ReviewComment: a.ReviewComment,
		stamps: stamps{a.CreatedAt, a.UpdatedAt, a.Version}}
}

type phaseBody struct {
	Content  *string `json:"content"`
	StartsOn *string `json:"starts_on"`
	EndsOn   *string `json:"ends_on"`
}

// applicationBody is the body of POST and PATCH /applications. On PATCH it starts as the
// current application and the patch is decoded over it (JSON merge patch: head, lead and
// conditions merge key by key; a phase given replaces that phase, null removes it).
type applicationBody struct {
	Edition    *string               `json:"edition"`
	SchoolCode *string               `json:"school_code"`
	UnitName   *string               `json:"unit_name"`
	UnitType   *string               `json:"unit_type"`
	Address    *string               `json:"address"`
	PostalCode *string               `json:"postal_code"`
	Head       *contactView          `json:"head"`
	Lead       *contactView          `json:"lead"`
	Phases     map[string]*phaseBody `json:"phases"`
	Conditions *conditionsView       `json:"conditions"`
	AppliedOn  *string               `json:"applied_on"`
}

func applicationBodyOf(a cycle.Application) applicationBody {
	head, lead, cond := contactView(a.Head), contactView(a.Lead), conditionsView(a.Conditions)
	phases := map[string]*phaseBody{}
	for _, p := range a.Phases {
		content, s, e := p.Content, dateString(p.StartsOn), dateString(p.EndsOn)
		phases[p.Phase] = &phaseBody{Content: &content, StartsOn: &s, EndsOn: &e}
	}
	return applicationBody{Edition: &a.EditionID, SchoolCode: &a.SchoolCode, UnitName: &a.UnitName,
		UnitType: a.UnitType, Address: a.Address, PostalCode: a.PostalCode, Head: &head, Lead: &lead,
		Phases: phases, Conditions: &cond, AppliedOn: optDate(a.AppliedOn)}
}

// form validates the body's form fields (shapes, lengths, dates); the rules that need the
// edition are the cycle's.
func (b applicationBody) form(c *checker) cycle.ApplicationForm {
	f := cycle.ApplicationForm{UnitType: c.optional(b.UnitType), Address: c.optional(b.Address),
		PostalCode: c.optional(b.PostalCode), Phases: []cycle.ApplicationPhase{}}
	if v := c.optional(b.UnitName); v != nil {
		f.UnitName = *v
	}
	c.maxLen("unit_name", &f.UnitName, 200)
	c.enum("unit_type", f.UnitType, vocab.OrgTypes.Keys()...)
	c.maxLen("address", f.Address, 200)
	c.match("postal_code", f.PostalCode, rePostalCode, "6 位邮政编码", "a 6-digit postal code")
	contact := func(prefix string, v *contactView) cycle.Contact {
		if v == nil {
			return cycle.Contact{}
		}
		out := cycle.Contact{Name: c.optional(v.Name), Title: c.optional(v.Title), OfficePhone: c.optional(v.OfficePhone),
			Mobile: c.optional(v.Mobile), Email: c.optional(v.Email), Fax: c.optional(v.Fax)}
		for _, fv := range []struct {
			k string
			v *string
		}{{"name", out.Name}, {"title", out.Title}, {"office_phone", out.OfficePhone}, {"mobile", out.Mobile},
			{"email", out.Email}, {"fax", out.Fax}} {
			c.maxLen(prefix+"."+fv.k, fv.v, 100)
		}
		c.match(prefix+".email", out.Email, reContactEmail, "电子邮件地址", "an e-mail address")
		return out
	}
	f.Head, f.Lead = contact("head", b.Head), contact("lead", b.Lead)
	if b.Conditions != nil {
		k := b.Conditions
		f.Conditions = cycle.ApplicationConditions{Organization: c.optional(k.Organization), Staff: c.optional(k.Staff),
			Environment: c.optional(k.Environment), TrackRecord: c.optional(k.TrackRecord), Rules: c.optional(k.Rules),
			Funding: c.optional(k.Funding)}
		for _, fv := range []struct {
			k string
			v *string
		}{{"organization", f.Conditions.Organization}, {"staff", f.Conditions.Staff},
			{"environment", f.Conditions.Environment}, {"track_record", f.Conditions.TrackRecord},
			{"rules", f.Conditions.Rules}, {"funding", f.Conditions.Funding}} {
			c.maxLen("conditions."+fv.k, fv.v, 4000)
		}
	}
	for name := range b.Phases {
		if !vocab.Phases.Valid(name) {
			c.add("phases."+name, "unknown_field", fmt.Sprintf("未知阶段 %s（应为 selection、daily_management、summary_evaluation） / unknown phase %s (selection, daily_management, summary_evaluation)", name, name))
		}
	}
	for _, name := range vocab.Phases.Keys() {
		p := b.Phases[name]
		if p == nil {
			continue
		}
		key := "phases." + name
		ph := cycle.ApplicationPhase{Phase: name, Content: c.required(key+".content", p.Content)}
		c.maxLen(key+".content", &ph.Content, 2000)
		c.required(key+".starts_on", p.StartsOn)
		c.required(key+".ends_on", p.EndsOn)
		s, e := c.date(key+".starts_on", p.StartsOn), c.date(key+".ends_on", p.EndsOn)
		if s != nil && e != nil {
			ph.StartsOn, ph.EndsOn = *s, *e
			f.Phases = append(f.Phases, ph)
		}
	}
	f.AppliedOn = c.date("applied_on", b.AppliedOn)
	return f
}

// reContactEmail is a plausible e-mail address of a form's contact.
var reContactEmail = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func applicationID(a cycle.Application) int64 { return a.ID }

func applicationVersion(a cycle.Application) int { return a.Version }

func (s *server) listApplications(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, []string{"status"}, func(q *query, p pageQuery) cycle.ApplicationFilter {
		return cycle.ApplicationFilter{Edition: p.Edition, Status: q.enum("status", vocab.ApplicationStatuses.Keys()...),
			AfterID: p.AfterID, Limit: p.Limit}
	}, s.doors.Cycle.ListApplications, applicationID, viewApplication)
}

func (s *server) getApplication(w http.ResponseWriter, r *http.Request) {
	cycleGet(w, r, "application", s.doors.Cycle.GetApplication, applicationVersion, viewApplication)
}

func (s *server) createApplication(w http.ResponseWriter, r *http.Request) {
	var b applicationBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	in := cycle.ApplicationInput{EditionID: ck.required("edition", b.Edition), SchoolCode: s.schoolCodeFor(r, b.SchoolCode, &ck)}
	in.Form = b.form(&ck)
	checkEditionID(&ck, in.EditionID)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	a, err := s.doors.Cycle.CreateApplication(r.Context(), callerFrom(r), in)
	respondCycleCreated(w, r, "application", a, err, func(a cycle.Application) string {
		return fmt.Sprintf("/api/v1/applications/%d", a.ID)
	}, applicationVersion, viewApplication)
}

// checkEditionID checks the form of an edition's id, when given.
func checkEditionID(ck *checker, id string) {
	if id == "" {
		return
	}
	if _, err := edition.ParseID(id); err != nil {
		ck.add("edition", "format", "年度编号应为 计划-年份，如 jingke-2023 / edition must be PROGRAM-YEAR, e.g. jingke-2023")
	}
}

func (s *server) updateApplication(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "application", true)
	if !ok {
		return
	}
	a, err := s.doors.Cycle.UpdateApplication(r.Context(), callerFrom(r), id, *version,
		func(cur cycle.Application) (cycle.ApplicationForm, error) {
			b := applicationBodyOf(cur)
			if err := s.decode(w, r, &b); err != nil {
				return cycle.ApplicationForm{}, err
			}
			var ck checker
			if b.Edition == nil || *b.Edition != cur.EditionID {
				ck.add("edition", "immutable", "申报书的年度不能更改 / the edition of an application cannot change")
			}
			if b.SchoolCode == nil || *b.SchoolCode != cur.SchoolCode {
				ck.add("school_code", "immutable", "申报书的学校不能更改 / the school of an application cannot change")
			}
			form := b.form(&ck)
			if form.UnitName == "" {
				ck.add("unit_name", "required", "unit_name 必填 / unit_name is required")
			}
			return form, ck.err()
		})
	respondCycle(w, r, "application", http.StatusOK, a, err, applicationVersion, viewApplication)
}

func (s *server) submitApplication(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "application", false)
	if !ok {
		return
	}
	if r.ContentLength > 0 {
		var empty struct{}
		if !s.decoded(w, r, &empty) {
			return
		}
	}
	a, err := s.doors.Cycle.SubmitApplication(r.Context(), callerFrom(r), id, version)
	respondCycle(w, r, "application", http.StatusOK, a, err, applicationVersion, viewApplication)
}

type reviewBody struct {
	Decision *string `json:"decision"`
	Comment  *string `json:"comment"`
}

func (s *server) reviewApplication(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "application", false)
	if !ok {
		return
	}
	var b reviewBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	decision := ck.required("decision", b.Decision)
	ck.enum("decision", &decision, vocab.ReviewDecisions.Keys()...)
	comment := ck.optional(b.Comment)
	ck.maxLen("comment", comment, 2000)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	a, err := s.doors.Cycle.ReviewApplication(r.Context(), callerFrom(r), id, version, decision, comment)
	respondCycle(w, r, "application", http.StatusOK, a, err, applicationVersion, viewApplication)
}

// applicationForm serves the filled form as an XLSX workbook (the layout of the notice's
// attachment 1 or 2).
func (s *server) applicationForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "application")
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := s.doors.Cycle.GetApplication(r.Context(), callerFrom(r), id)
	if err != nil {
		failCycle(w, r, err, "application")
		return
	}
	var buf bytes.Buffer
	if err := cycle.WriteForm(&buf, a); err != nil {
		fail(w, r, err)
		return
	}
	name := fmt.Sprintf("%s-%s-申报书.xlsx", a.EditionID, a.SchoolCode)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="application-%d.xlsx"; filename*=UTF-8''%s`,
		a.ID, url.PathEscape(name)))
	setETag(w, a.Version)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
