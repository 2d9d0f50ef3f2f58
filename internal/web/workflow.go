package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/cycle"
)

// Helpers of the workflow pages (the mentor's workspace and the office's pages): their
// navigation, the names they show for codes, and how a write's answer becomes a page.

// workflowFlash are the confirmations the workflow pages redirect with (?done=).
var workflowFlash = []string{"feedback", "task", "task_done", "task_open", "assessed", "reviewed", "notice",
	"objection", "resolved", "admitted", "verified", "frozen", "password"}

func init() {
	for _, k := range workflowFlash {
		flashKeys[k] = true
	}
}

// withWorkflows adds the workflow pages to a role's navigation: the mentor's workspace
// first for a mentor; the office's pages after its people list.
func withWorkflows(role string, links []navLink) []navLink {
	switch role {
	case auth.RoleMentor:
		return append([]navLink{{"/mentor", "nav.mentor"}}, links...)
	case auth.RoleSchoolOperator: // the school's cycle after its workspace
		return slices.Insert(links, 1, navLink{"/school/cycle", "nav.school_cycle"})
	case auth.RoleOfficeAdmin:
		out := make([]navLink, 0, len(links)+4)
		for _, k := range links {
			out = append(out, k)
			if k.href == "/persons" {
				out = append(out, navLink{"/office/applications", "nav.applications"}, navLink{"/office/selection", "nav.selection"},
					navLink{"/office/awards", "nav.award_queue"}, navLink{"/office/reports", "nav.publish"})
			}
		}
		return out
	}
	return links
}

// navLink is a link of the navigation before it is labelled.
type navLink struct{ href, key string }

// idParam reads a positive int64 route parameter.
func idParam(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	return id, err == nil && id > 0
}

// version reads the hidden version field of a form (nil when absent or not a number).
func formVersion(r *http.Request) *int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return nil
	}
	return &v
}

// refused files a door's refusal of a workflow form on the form: field errors next to
// their fields (the rest above the form), a stale version, a step only another role may
// take. It returns false for errors that are not about the input.
func refused(f *form, err error) bool {
	var fe *cycle.ForbiddenError
	switch {
	case errors.Is(err, access.ErrStale):
		f.General = f.lang.T("form.stale")
	case errors.As(err, &fe):
		f.General = f.lang.Pick(fe.Message)
	default:
		return quickRefused(f, err)
	}
	return true
}

// answer ends a workflow write: back to ret with the confirmation done, or again (the
// page with f's errors, 422) when the door refused the input, or an error page.
func (a *app) answer(w http.ResponseWriter, r *http.Request, f *form, err error, ret, done string, again func(*form)) {
	switch {
	case err == nil && f.OK():
		anchor := ""
		if i := strings.IndexByte(ret, '#'); i >= 0 {
			ret, anchor = ret[:i], ret[i+1:]
		}
		redirectDone(w, r, ret, done, anchor)
	case err == nil:
		again(f)
	case errors.Is(err, access.ErrNotFound):
		a.notFound(w, r)
	case errors.Is(err, access.ErrForbidden):
		a.errorPage(w, r, http.StatusForbidden, "error.forbidden")
	case otherSchool(err):
		a.errorPage(w, r, http.StatusForbidden, "error.other_school")
	case refused(f, err):
		again(f)
	default:
		a.serverError(w, r, err)
	}
}

// otherSchool reports whether err is the door's refusal of a school operator's write in
// another school's name (OwnSchool's scope error): a forged form, answered 403 like a page
// the role may not use.
func otherSchool(err error) bool {
	var fe *access.FieldError
	return errors.As(err, &fe) && fe.Field == "school_code" && fe.Rule == "scope"
}

// rowForm reads a form posted for the record the route parameter param names: its id, the
// page to go back to (the form's hidden "return", else def) and the form, keyed prefix+id
// so that a page with one form per row shows only this one's values and errors.
func (a *app) rowForm(w http.ResponseWriter, r *http.Request, param, prefix, def string, fields ...string) (int64, string, *form, bool) {
	id, ok := idParam(r, param)
	if !ok {
		a.notFound(w, r)
		return 0, "", nil, false
	}
	return id, backTo(r, def), newForm(r, prefix+strconv.FormatInt(id, 10), fields...), true
}

// backTo is the page a workflow form came from (its hidden "return"), else def.
func backTo(r *http.Request, def string) string { return localPath(r.PostFormValue("return"), def) }

// text reads a required text field of at most max characters.
func (f *form) text(field string, max int) string {
	v := f.required(field)
	if len([]rune(v)) > max {
		f.fail(field, "form.too_long")
	}
	return v
}

// formStatus is the status of a page showing f: 422 when a refused form comes back.
func formStatus(f *form) int {
	if f != nil {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// shown is the GET handler of a page that a failed post shows again with its form: show
// with no form.
func shown(show func(http.ResponseWriter, *http.Request, *form)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { show(w, r, nil) }
}
