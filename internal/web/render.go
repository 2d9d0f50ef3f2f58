package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// pageTemplate is one page: the layout, the shared partials and the page's own file.
type pageTemplate struct {
	t *template.Template
}

// funcs are the template functions. Text goes through .L.T; these format values.
func funcs(assets *assetSet) template.FuncMap {
	return template.FuncMap{
		"asset": assets.url,
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"date": func(t time.Time) string { return t.Format(time.DateOnly) },
		"datep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.Format(time.DateOnly)
		},
		"datetime": func(t time.Time) string { return t.In(vocab.China).Format("2006-01-02 15:04") },
		"deref": func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		},
		"pct":   pct,
		"count": countText,
		"sharep": func(v *float64) string {
			if v == nil {
				return "—"
			}
			return pct(*v)
		},
		// field is the argument of the "ferr" partial: an input's id and its error.
		"field": func(id, msg string) fieldErr { return fieldErr{ID: id, Msg: msg} },
		// quickargs is the argument of the "quick" partial.
		"quickargs": func(id int64, d any, l Lang, csrf string) map[string]any {
			return map[string]any{"ID": id, "D": d, "L": l, "CSRF": csrf}
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"list": func(v ...string) []string { return v },
		"inc":  func(i int) int { return i + 1 },
	}
}

// fieldErr is an input's id and its error message.
type fieldErr struct {
	ID  string
	Msg string
}

// pct formats a share as a percentage with one decimal; a withheld ratio is "—".
func pct(v any) string {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case report.Ratio:
		if x.Withheld() {
			return "—"
		}
		f = float64(x)
	default:
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%.1f%%", f*100)
}

// countText prints a report count: the number, or its withheld marker.
func countText(c report.Count) string {
	switch c {
	case report.Small:
		return "<5"
	case report.Hidden:
		return "*"
	}
	return fmt.Sprint(int(c))
}

// mustParsePages parses every page file with the layout and partials.
func mustParsePages(assets *assetSet) map[string]*pageTemplate {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic("web: templates: " + err.Error())
	}
	pages := map[string]*pageTemplate{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New("layout").Funcs(funcs(assets)).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", f)
		if err != nil {
			panic("web: template " + name + ": " + err.Error())
		}
		pages[name] = &pageTemplate{t: t}
	}
	return pages
}

// navItem is one link of the top navigation.
type navItem struct {
	Href    string
	Label   string
	Current bool
}

// page is what every template receives: the language, the user, the CSRF token for its
// forms, the navigation, and the page's own Data.
type page struct {
	L       Lang
	User    *auth.Principal
	CSRF    string
	Title   string
	Nav     []navItem
	LangURL string // this page in the other language
	Path    string
	Flash   string
	Charts  bool // load ECharts and the chart script
	Data    any
}

// nav lists the pages a role may open, in the order of its work.
func nav(p auth.Principal, l Lang, path string) []navItem {
	type link = navLink
	var links []link
	switch p.Role {
	case auth.RoleOfficeAdmin:
		links = []link{{"/dashboard", "nav.dashboard"}, {"/cohorts", "nav.cohorts"}, {"/reports", "nav.reports"},
			{"/persons", "nav.persons"}, {"/imports", "nav.imports"}, {"/admin/users", "nav.users"},
			{"/admin/audit", "nav.audit"}, {"/account/tokens", "nav.tokens"}}
	case auth.RoleOfficeAnalyst, auth.RoleCityCoordinator:
		links = []link{{"/dashboard", "nav.dashboard"}, {"/cohorts", "nav.cohorts"}, {"/reports", "nav.reports"},
			{"/persons", "nav.persons"}, {"/account/tokens", "nav.tokens"}}
	case auth.RoleSchoolOperator:
		links = []link{{"/school", "nav.school"}, {"/school/self-reports", "nav.self_reports"}, {"/imports", "nav.imports"},
			{"/persons", "nav.persons"}, {"/account/tokens", "nav.tokens"}}
	case auth.RoleMentor:
		links = []link{{"/persons", "nav.persons"}, {"/account/tokens", "nav.tokens"}}
	case auth.RoleAuditor:
		links = []link{{"/admin/audit", "nav.audit"}, {"/account/tokens", "nav.tokens"}}
	}
	links = withWorkflows(p.Role, links)
	out := make([]navItem, len(links))
	for i, k := range links {
		out[i] = navItem{Href: k.href, Label: l.T(k.key), Current: path == k.href || strings.HasPrefix(path, k.href+"/")}
	}
	// a page of its own in the navigation (/school/cycle) is not also its parent's (/school)
	if slices.ContainsFunc(out, func(n navItem) bool { return n.Href == path }) {
		for i := range out {
			out[i].Current = out[i].Href == path
		}
	}
	return out
}

// otherLangURL is the current page's address with the other language chosen.
func otherLangURL(r *http.Request, l Lang) string {
	q := r.URL.Query()
	if l == langEn {
		q.Set("lang", langZh)
	} else {
		q.Set("lang", langEn)
	}
	return r.URL.Path + "?" + q.Encode()
}

// render executes a page into a buffer (so a template error is a clean 500) and writes it.
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) {
	a.renderPage(w, r, status, name, page{Title: langOf(r).T(titleKey), Data: data})
}

// renderCharts is render for a page with charts.
func (a *app) renderCharts(w http.ResponseWriter, r *http.Request, name, titleKey string, data any) {
	a.renderPage(w, r, http.StatusOK, name, page{Title: langOf(r).T(titleKey), Data: data, Charts: true})
}

func (a *app) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, pg page) {
	t, ok := a.pages[name]
	if !ok {
		a.serverError(w, r, fmt.Errorf("web: no page %q", name))
		return
	}
	pg.L = langOf(r)
	pg.Path = r.URL.Path
	pg.LangURL = otherLangURL(r, pg.L)
	if p, ok := signedIn(r); ok {
		pg.User = &p
		pg.CSRF = p.CSRFToken()
		pg.Nav = nav(p, pg.L, r.URL.Path)
	}
	if pg.Flash == "" {
		if k := r.URL.Query().Get("done"); k != "" && flashKeys[k] {
			pg.Flash = pg.L.T("flash." + k)
		}
	}
	var buf bytes.Buffer
	if err := t.t.ExecuteTemplate(&buf, "layout", pg); err != nil {
		a.serverError(w, r, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// flashKeys are the confirmations a redirect may ask for with ?done=.
var flashKeys = map[string]bool{"follow_up": true, "award": true, "destination": true, "person": true,
	"user": true, "disabled": true, "enabled": true, "revoked": true,
	// corrections
	"record_saved": true, "record_deleted": true, "record_restored": true,
	// the school's cycle: the career-move quick form
	"career_move": true}

// errorData is the body of the error page.
type errorData struct {
	Status  int
	Message string
}

// errorPage answers status with a page saying msgKey.
func (a *app) errorPage(w http.ResponseWriter, r *http.Request, status int, msgKey string) {
	l := langOf(r)
	a.renderPage(w, r, status, "error", page{Title: l.T("error.title"),
		Data: errorData{Status: status, Message: l.T(msgKey)}})
}

func (a *app) notFound(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

func (a *app) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusMethodNotAllowed, "error.method")
}

// serverError logs err with the request id and answers 500 without details.
func (a *app) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("web", "request_id", requestID(w), "path", r.URL.Path, "err", err.Error())
	l := langOf(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	// a plain page: the template machinery may be what failed
	_, _ = fmt.Fprintf(w, "<!doctype html><html lang=%q><meta charset=utf-8><title>500</title><p>%s</p><p>%s</p></html>",
		l.HTMLLang(), template.HTMLEscapeString(l.T("error.internal")), template.HTMLEscapeString(requestID(w)))
}

// fail answers a store or domain error: not found 404 (a record the user may not see is
// not found either), row-level security 403, anything else 500.
func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	if !a.refusedAccess(w, r, err) {
		a.serverError(w, r, err)
	}
}

// refusedAccess answers a door's refusal of access — a record outside the scope is 404,
// a role that may not act 403 — and reports whether err was one.
func (a *app) refusedAccess(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case errors.Is(err, access.ErrNotFound):
		a.notFound(w, r)
	case errors.Is(err, access.ErrForbidden):
		a.errorPage(w, r, http.StatusForbidden, "error.forbidden")
	default:
		return false
	}
	return true
}

// redirectDone sends the browser back to a local page with a confirmation.
func redirectDone(w http.ResponseWriter, r *http.Request, to, done, anchor string) {
	u, _ := url.Parse(to)
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	if anchor != "" {
		u.Fragment = anchor
	}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}
