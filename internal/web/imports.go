package web

import (
	"bytes"
	"errors"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/auth"
	"talentdb/internal/importer"
	"talentdb/internal/store"
)

// Imports: upload a CSV or XLSX file of one kind, applied all or nothing by the importer
// (the CLI's own code path), and see the summary with every invalid row as a table by row
// and column; download the XLSX template of each kind.

// importKinds are the kinds a role may upload: a school keeps its people's tracking
// records; the office loads everything.
func importKinds(p auth.Principal) []string {
	if p.Role == auth.RoleOfficeAdmin {
		return []string{"organizations", "persons", "participations", "awards", "destinations", "career-moves", "follow-ups"}
	}
	return []string{"awards", "destinations", "career-moves", "follow-ups"}
}

type importData struct {
	Kinds   []option
	Kind    string
	DryRun  bool
	Summary *importer.Summary
	Error   string
	Rows    []importError
}

type importError struct {
	Row    int
	Column string
	Error  string
}

func (a *app) importPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "imports", "imports.title", a.importData(r, "", false))
}

func (a *app) importData(r *http.Request, kind string, dry bool) importData {
	l := langOf(r)
	d := importData{Kind: kind, DryRun: dry}
	for _, k := range importKinds(principal(r)) {
		d.Kinds = append(d.Kinds, option{Value: k, Label: l.T("kind." + k), Selected: k == kind})
	}
	return d
}

// importUpload runs the importer on the uploaded file and shows its summary.
func (a *app) importUpload(w http.ResponseWriter, r *http.Request) {
	l, p := langOf(r), principal(r)
	kind := r.PostFormValue("kind")
	dry := r.PostFormValue("dry_run") != ""
	d := a.importData(r, kind, dry)
	if !slices.Contains(importKinds(p), kind) {
		d.Error = l.T("imports.kind_required")
		a.render(w, r, http.StatusUnprocessableEntity, "imports", "imports.title", d)
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		d.Error = l.T("imports.file_required")
		a.render(w, r, http.StatusUnprocessableEntity, "imports", "imports.title", d)
		return
	}
	defer file.Close()
	sum, err := a.importer.Run(r.Context(), kind, hdr.Filename, file, importer.Options{DryRun: dry,
		Actor: p.Username, UploadedBy: p.Username})
	if err != nil {
		if errors.Is(err, store.ErrForbidden) {
			d.Error = l.T("imports.forbidden")
			a.render(w, r, http.StatusForbidden, "imports", "imports.title", d)
			return
		}
		a.fail(w, r, err)
		return
	}
	d.Summary = &sum
	for _, e := range sum.Errors {
		d.Rows = append(d.Rows, importError{Row: e.Row, Column: e.Column, Error: l.Pick(e.Error)})
	}
	status := http.StatusOK
	if !sum.OK() {
		status = http.StatusUnprocessableEntity
	}
	a.render(w, r, status, "imports", "imports.title", d)
}

// importTemplate downloads the XLSX template of a kind.
func (a *app) importTemplate(w http.ResponseWriter, r *http.Request) {
	kind := chi.URLParam(r, "kind")
	if !slices.Contains(importer.Kinds, kind) {
		a.notFound(w, r)
		return
	}
	var buf bytes.Buffer
	if err := a.importer.Template(r.Context(), kind, &buf); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+`-template.xlsx"`)
	_, _ = w.Write(buf.Bytes())
}
