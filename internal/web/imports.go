package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/auth"
	"talentdb/internal/importer"
	"talentdb/internal/store"
)

// Imports: upload a CSV or XLSX file of one kind, applied all or nothing by the importer
// (the CLI's own code path), and see the summary with every invalid row as a table by row
// and column; download the XLSX template of each kind.

// importKinds are the kinds a role may upload: the office loads everything; a school
// everything but organizations, restricted by the API to its own school and persons.
func importKinds(p auth.Principal) []string {
	if p.Role == auth.RoleOfficeAdmin {
		return importer.Kinds
	}
	return slices.DeleteFunc(slices.Clone(importer.Kinds), func(k string) bool { return k == store.KindOrganizations })
}

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
	for _, k := range importKinds(principal(r)) {
		d.Kinds = append(d.Kinds, option{Value: k, Label: l.T("kind." + k), Selected: k == kind})
	}
	return d
}

// importUpload sends the uploaded file to POST /api/v1/imports/{kind} (the importer, with
// the API's school restriction and idempotency) and shows the summary it answers.
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
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", hdr.Filename)
	if err == nil {
		_, err = io.Copy(part, file)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	h := http.Header{"Content-Type": {mw.FormDataContentType()}}
	if key := r.PostFormValue("idempotency_key"); key != "" {
		h.Set("Idempotency-Key", key)
	}
	path := "/imports/" + url.PathEscape(kind) + "?dry_run=" + strconv.FormatBool(dry)
	res, err := a.callAPIRaw(w, r, http.MethodPost, path, h, &body)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	switch {
	case res.Status == http.StatusOK || (res.Status == http.StatusUnprocessableEntity && res.Problem == nil):
		var sum importer.Summary
		if err := json.Unmarshal(res.Body, &sum); err != nil {
			a.serverError(w, r, fmt.Errorf("web: import summary: %w", err))
			return
		}
		d.Summary = &sum
		for _, e := range sum.Errors {
			d.Rows = append(d.Rows, importError{Row: e.Row, Column: e.Column, Error: l.Pick(e.Error)})
		}
		a.render(w, r, res.Status, "imports", "imports.title", d)
	case res.Problem != nil && res.Status < 500:
		d.Error = l.Pick(res.Problem.Detail)
		for _, e := range res.Problem.Errors {
			d.Error += " " + l.Pick(e.Message)
		}
		a.render(w, r, res.Status, "imports", "imports.title", d)
	default:
		a.serverError(w, r, fmt.Errorf("web: import: status %d: %.500s", res.Status, res.Body))
	}
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
