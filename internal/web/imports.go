package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/importer"
	"talentdb/internal/vocab"
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
	History listTable // the latest runs the user may see, their total and the export
}

const (
	historyPage      = 20
	historyExportMax = 5000
)

// historyHeaders are the columns of the import history, on the page and in the workbook.
var historyHeaders = []string{"imports.at", "imports.kind", "imports.file_name", "imports.by", "imports.result",
	"imports.rows", "imports.inserted", "imports.updated", "imports.unchanged", "imports.errors"}

// importHistory is the latest limit runs the caller may see (a school operator their
// own) in the page's words, with their total; a role that may not list runs gets none.
func (a *app) importHistory(r *http.Request, limit int) (listTable, error) {
	l := langOf(r)
	t := listTable{Headers: headers(l, historyHeaders...), Export: "/imports/history/export"}
	h, err := a.doors.Imports.History(r.Context(), caller(r), importer.RunFilter{Limit: limit})
	if err != nil {
		return t, err
	}
	t.Total = h.Total
	for _, run := range h.Runs {
		var sum importer.Summary
		_ = json.Unmarshal(run.Summary, &sum)
		state := "imports.state_failed"
		switch {
		case run.Applied:
			state = "imports.state_applied"
		case run.DryRun && run.ErrorCount == 0:
			state = "imports.state_dry"
		}
		t.Rows = append(t.Rows, []any{run.CreatedAt.In(vocab.China).Format("2006-01-02 15:04"), l.T("kind." + run.Kind),
			deref(run.FileName), deref(run.UploadedBy), l.T(state), sum.Rows, sum.Inserted, sum.Updated, sum.Unchanged,
			run.ErrorCount})
	}
	return t, nil
}

// historyExport answers the import history (every run the caller may see, newest first,
// up to historyExportMax) as an Excel workbook with the page's columns and words.
func (a *app) historyExport(w http.ResponseWriter, r *http.Request) {
	t, err := a.importHistory(r, historyExportMax)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sendTable(w, r, "imports", langOf(r).T("imports.sheet"), t)
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
	d.History, _ = a.importHistory(r, historyPage) // a role that may not list runs sees none
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
		d.Rows = append(d.Rows, importError{Row: e.Row, Column: columnName(out.Headers, kind, e.Column, l),
			Error: l.Pick(e.Error)})
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

// columnName names an error's column as the file's header did (联系日期 for contact_date
// in a file with Chinese headers), else by the column's label on a Chinese page; a column
// the kind does not know is the header text the error already carries.
func columnName(headers map[string]string, kind, key string, l Lang) string {
	if h, ok := headers[key]; ok && h != "" {
		return h
	}
	if lab := importer.ColumnLabel(kind, key); lab != "" && l == langZh {
		return lab
	}
	return key
}
