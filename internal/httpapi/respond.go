package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"

	"talentdb/internal/edition"
	"talentdb/internal/vocab"
)

// The helpers every handler shares: decoding bodies, answering JSON, entity tags and
// If-Match, keyset cursors, query parameters and the actor of a write.

// respondJSON sends v as JSON with the given status. The body is encoded first, into a
// buffer of a pool, and sent with its Content-Length in one write: encoded straight into
// the response, a body over the server's 4 KB buffer (a timeline, a due list) went out
// chunked in several writes. A value that cannot be encoded is a 500, not half a body.
func respondJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a rare huge body is not kept
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	enc := gojson.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "internal error: the answer could not be encoded", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// respondVersioned sends one resource with its ETag (the row version).
func respondVersioned(w http.ResponseWriter, status int, version int, v any) {
	setETag(w, version)
	respondJSON(w, status, v)
}

// respondCreated sends a new resource: 201, Location and ETag.
func respondCreated(w http.ResponseWriter, location string, version int, v any) {
	w.Header().Set("Location", location)
	respondVersioned(w, http.StatusCreated, version, v)
}

// etag is the strong entity tag of a row version: "3".
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// setETag sets the ETag header of a response from a row version.
func setETag(w http.ResponseWriter, version int) { w.Header().Set("ETag", etag(version)) }

// requireIfMatch reads the version the client last saw from If-Match: "<version>".
// Missing is 428; a weak, wildcard or unparsable tag can never match the current
// version strongly and is 412.
func requireIfMatch(r *http.Request) (int, error) {
	v, err := optionalIfMatch(r)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return 0, newProblem(http.StatusPreconditionRequired, ProblemIfMatchRequired, "Precondition required",
			`修改需要 If-Match 请求头，值为读取时的 ETag，如 "3" / This request needs an If-Match header with the ETag you read, e.g. If-Match: "3".`)
	}
	return *v, nil
}

// optionalIfMatch is requireIfMatch for requests where If-Match may be left out
// (DELETE): nil when the header is absent.
func optionalIfMatch(r *http.Request) (*int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return nil, nil
	}
	if len(h) >= 2 && h[0] == '"' && h[len(h)-1] == '"' {
		if v, err := strconv.Atoi(h[1 : len(h)-1]); err == nil && v > 0 {
			return &v, nil
		}
	}
	return nil, newProblem(http.StatusPreconditionFailed, ProblemStale, "Precondition failed",
		fmt.Sprintf(`If-Match 必须是一个强 ETag，如 "3"，收到 %.40q / If-Match must be one strong ETag such as "3"; got %.40q.`, h, h))
}

// decodeJSON reads a JSON object body into v: application/json (or any +json type such as
// application/merge-patch+json) or 415; at most maxBytes or 413; unknown fields, wrong
// types and trailing data are 400 naming the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, maxBytes int64, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return newProblem(http.StatusUnsupportedMediaType, ProblemUnsupportedMedia, "Unsupported media type",
			"请求体必须是 JSON（Content-Type: application/json） / The body must be JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBytes))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); !errors.Is(extra, io.EOF) {
			err = errors.New("trailing data after the JSON object")
		}
	}
	if err == nil {
		return nil
	}
	var (
		tooBig  *http.MaxBytesError
		typeErr *json.UnmarshalTypeError
		synErr  *json.SyntaxError
	)
	switch {
	case errors.As(err, &tooBig):
		return newProblem(http.StatusRequestEntityTooLarge, ProblemPayloadTooLarge, "Payload too large",
			fmt.Sprintf("请求体超过 %d 字节 / The body exceeds %d bytes.", maxBytes, maxBytes))
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return malformed("请求体必须是一个 JSON 对象 / The body must be a JSON object.")
		}
		return fieldProblem(field, "type", fmt.Sprintf("%s 的类型应为 %s，收到 %s / %s must be a %s, not a %s",
			field, jsonType(typeErr.Type.String()), typeErr.Value, field, jsonType(typeErr.Type.String()), typeErr.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldProblem(field, "unknown_field", fmt.Sprintf("未知字段 %s / unknown field %s", field, field))
	case errors.As(err, &synErr), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("请求体不是合法的 JSON / The body is not valid JSON.")
	case errors.Is(err, io.EOF):
		return malformed("请求体为空 / The body is empty.")
	default:
		return malformed("请求体不是合法的 JSON：" + err.Error() + " / The body is not valid JSON.")
	}
}

func malformed(detail string) *Problem {
	return newProblem(http.StatusBadRequest, ProblemMalformed, "Malformed JSON", detail)
}

// jsonType names a Go type the way a JSON client thinks of it.
func jsonType(goType string) string {
	t := strings.TrimPrefix(goType, "*")
	switch {
	case t == "string", strings.HasSuffix(t, "optional[string]"):
		return "string"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "number"
	case t == "bool":
		return "boolean"
	case strings.HasPrefix(t, "[]"):
		return "array"
	default:
		return "object"
	}
}

// Page is the body of every list response: the items and the cursor of the next page
// (null on the last page).
type Page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// respondPage answers a keyset-paginated list. rows holds up to limit+1 items as the
// store returned them; the extra one only says that another page exists, and the next
// cursor encodes key(last item shown).
func respondPage[R any, T any](w http.ResponseWriter, rows []R, limit int, key func(R) any, view func(R) T) {
	p := Page[T]{Items: make([]T, 0, min(len(rows), limit))}
	if len(rows) > limit {
		rows = rows[:limit]
		c := encodeCursor(key(rows[len(rows)-1]))
		p.Next = &c
	}
	for _, r := range rows {
		p.Items = append(p.Items, view(r))
	}
	respondJSON(w, http.StatusOK, p)
}

// encodeCursor makes an opaque cursor of a keyset position.
func encodeCursor(key any) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor into key; a bad one is 400 on "after".
func decodeCursor(s string, key any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, key)
	}
	if err != nil {
		return fieldProblem("after", "cursor", "after 不是本接口给出的游标 / after is not a cursor this API returned")
	}
	return nil
}

// Default and maximum page sizes of list endpoints.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// query reads the query parameters of a list request, refusing parameters the endpoint
// does not know (a misspelt filter must not silently return everything). Its methods
// collect field errors; err returns them as one 400.
type query struct {
	values map[string][]string
	errs   []FieldError
}

// newQuery checks r's parameters against the endpoint's filters (limit and after are
// always allowed).
func newQuery(r *http.Request, allowed ...string) *query {
	q := &query{values: r.URL.Query()}
	for k, v := range q.values {
		if k != "limit" && k != "after" && !slices.Contains(allowed, k) {
			q.add(k, "unknown_parameter", fmt.Sprintf("未知参数 %s / unknown parameter %s", k, k))
		} else if len(v) > 1 {
			q.add(k, "repeated", fmt.Sprintf("参数 %s 只能出现一次 / parameter %s may appear once", k, k))
		}
	}
	return q
}

func (q *query) add(field, rule, msg string) {
	q.errs = append(q.errs, FieldError{Field: field, Rule: rule, Message: msg})
}

// str returns a parameter, nil when absent or empty.
func (q *query) str(name string) *string {
	v := strings.TrimSpace(firstOf(q.values[name]))
	if v == "" {
		return nil
	}
	return &v
}

// enum returns a parameter that must be one of allowed.
func (q *query) enum(name string, allowed ...string) *string {
	v := q.str(name)
	if v != nil && !slices.Contains(allowed, *v) {
		q.add(name, "enum", fmt.Sprintf("%s 必须是 %s 之一 / %s must be one of %s",
			name, strings.Join(allowed, ", "), name, strings.Join(allowed, ", ")))
		return nil
	}
	return v
}

// int returns an integer parameter.
func (q *query) int(name string) *int64 {
	v := q.str(name)
	if v == nil {
		return nil
	}
	n, err := strconv.ParseInt(*v, 10, 64)
	if err != nil {
		q.add(name, "integer", fmt.Sprintf("%s 必须是整数 / %s must be an integer", name, name))
		return nil
	}
	return &n
}

// date returns a YYYY-MM-DD parameter.
func (q *query) date(name string) *time.Time {
	v := q.str(name)
	if v == nil {
		return nil
	}
	d, err := edition.ParseDate(*v)
	if err != nil {
		q.add(name, "date", fmt.Sprintf("%s 必须是 YYYY-MM-DD 日期 / %s must be a date YYYY-MM-DD", name, name))
		return nil
	}
	return &d
}

// limit returns the page size: default 50, 1 … 500.
func (q *query) limit() int {
	n := q.int("limit")
	if n == nil {
		return defaultLimit
	}
	if *n < 1 || *n > maxLimit {
		q.add("limit", "range", fmt.Sprintf("limit 必须在 1 到 %d 之间 / limit must be between 1 and %d", maxLimit, maxLimit))
		return defaultLimit
	}
	return int(*n)
}

// after decodes the after cursor into key, leaving key alone when there is none.
func (q *query) after(key any) {
	v := q.str("after")
	if v == nil {
		return
	}
	if err := decodeCursor(*v, key); err != nil {
		q.errs = append(q.errs, err.(*Problem).Errors...)
	}
}

// err is the 400 for every parameter error seen, or nil.
func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	slices.SortFunc(q.errs, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
	return validationProblem(q.errs...)
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// pathID parses the {id} of a path as a positive integer; anything else is 404 (no
// such resource), not 400.
func pathID(r *http.Request, entity string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		return 0, notFoundProblem(entity)
	}
	return n, nil
}

// queryAndID answers a request whose query q has errors (400) or whose {id} is not a
// positive number (404 naming entity), in that order; ok is false once it has answered.
func queryAndID(w http.ResponseWriter, r *http.Request, q *query, entity string) (id int64, ok bool) {
	if err := q.err(); err != nil {
		fail(w, r, err)
		return 0, false
	}
	id, err := pathID(r, entity)
	if err != nil {
		fail(w, r, err)
		return 0, false
	}
	return id, true
}

// dateString formats a date as YYYY-MM-DD.
func dateString(t time.Time) string { return vocab.FormatDate(t) }

// deref is *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
