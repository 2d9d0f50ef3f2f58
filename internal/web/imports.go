package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/importer"
)

// Imports: upload a CSV or XLSX file of one kind, applied all or nothing by the importer
// (the CLI's own code path), and see the summary with every invalid row as a table by row
// and column; download the XLSX template of each kind.

type importData struct {
	Kinds   []option
	Kind    string
	DryRun  bool
	Key     string // the idempotency key of this form: sending it twice imports once
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
	var b [16]byte
	_, _ = rand.Read(b[:])
	d := importData{Kind: kind, DryRun: dry, Key: "web-" + hex.EncodeToString(b[:])}
	for _, k := range a.doors.Imports.Kinds(caller(r)) {
		d.Kinds = append(d.Kinds, option{Value: k, Label: l.T("kind." + k), Selected: k == kind})
	}
	return d
}

// importUpload hands the uploaded file to the import door as the page's caller (the same
// rules as the API: the school restriction, one import at a time, the size limit,
// idempotency) and shows the summary, or the refusal.
func (a *app) importUpload(w http.ResponseWriter, r *http.Request) {
	l, c := langOf(r), caller(r)
	kind := r.PostFormValue("kind")
	dry := r.PostFormValue("dry_run") != ""
	d := a.importData(r, kind, dry)
	if !slices.Contains(a.doors.Imports.Kinds(c), kind) {
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
	out, err := a.doors.Imports.Run(r.Context(), c, importer.Upload{Kind: kind, DryRun: dry,
		IdempotencyKey: r.PostFormValue("idempotency_key"),
		Open:           func() (string, io.ReadCloser, error) { return hdr.Filename, io.NopCloser(file), nil }})
	if err != nil {
		status, msg := importRefusal(err)
		if status == 0 {
			a.fail(w, r, err)
			return
		}
		d.Error = l.Pick(msg)
		a.render(w, r, status, "imports", "imports.title", d)
		return
	}
	sum := out.Summary
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

// importRefusal is the status and message of the page for a refusal of the import door;
// status 0 for any other error.
func importRefusal(err error) (int, string) {
	var (
		tooLarge *importer.TooLargeError
		ie       *importer.IdempotencyError
	)
	switch {
	case errors.Is(err, importer.ErrBusy):
		return http.StatusTooManyRequests, err.Error()
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, tooLarge.Error()
	case errors.As(err, &ie):
		return http.StatusConflict, ie.Message()
	case errors.Is(err, importer.ErrBadKey):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, importer.ErrOfficeOnly), errors.Is(err, importer.ErrMayNotImport):
		return http.StatusForbidden, err.Error()
	}
	return 0, ""
}

// importTemplate downloads the XLSX template of a kind.
func (a *app) importTemplate(w http.ResponseWriter, r *http.Request) {
	kind := chi.URLParam(r, "kind")
	var buf bytes.Buffer
	switch err := a.doors.Imports.Template(r.Context(), caller(r), kind, &buf); {
	case errors.Is(err, importer.ErrUnknownKind):
		a.notFound(w, r)
		return
	case err != nil:
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+`-template.xlsx"`)
	_, _ = w.Write(buf.Bytes())
}
