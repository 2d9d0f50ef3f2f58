package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"talentdb/internal/store"
)

// Published figures stay reproducible: a cohort or annual report can be frozen — stored
// in frozen_reports exactly as it was published, with the parameters and as_of it was
// computed with — and later compared with what the same parameters give now (Diff), so
// that a correction made after publication is visible figure by figure.

// ErrNotRecomputable: a frozen report's parameters no longer give a report (its
// edition or the school, region or category of its cut no longer exists).
var ErrNotRecomputable = errors.New("无法按原参数重新计算 / the report cannot be recomputed with its parameters")

// The kinds of report that can be frozen.
const (
	KindCohort = "cohort"
	KindAnnual = "annual"
)

// Params are what a frozen report was computed with, besides its kind and as_of: the
// edition (cohort) or year (annual), the cut, and whether it was computed for
// publication. They are stored as JSON in frozen_reports.params.
type Params struct {
	Edition string `json:"edition,omitempty"`
	Year    int    `json:"year,omitempty"`
	Cut
	Publish bool `json:"publish"`
}

// Compute computes the report of kind with p on asOf, in publication mode when
// p.Publish. It is what Freeze stores and Diff recomputes.
func Compute(ctx context.Context, st *store.Store, kind string, p Params, asOf time.Time) (Report, error) {
	var r Report
	switch kind {
	case KindCohort:
		if p.Year != 0 {
			return nil, invalidParam("year", "unknown_parameter", "队列报告没有年份参数 / a cohort report takes no year")
		}
		c, err := CohortWithCut(ctx, st, p.Edition, asOf, p.Cut)
		if err != nil {
			return nil, err
		}
		r = &c
	case KindAnnual:
		if p.Edition != "" {
			return nil, invalidParam("edition", "unknown_parameter", "年度统计报告没有年度参数 / an annual report takes no edition")
		}
		a, err := AnnualWithCut(ctx, st, p.Year, asOf, p.Cut)
		if err != nil {
			return nil, err
		}
		r = &a
	default:
		return nil, invalidParam("kind", "enum", fmt.Sprintf(
			"报告类型必须是 cohort 或 annual：%q / kind must be cohort or annual: %q", kind, kind))
	}
	if p.Publish {
		r.Publish()
	}
	return r, nil
}

// encodeBody is the JSON a report is served and frozen as.
func encodeBody(r any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("report: encode: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Freeze computes the report of kind with p on asOf and stores it as published, frozen by
// actor (its Name is recorded as frozen_by: "cli:<os user>" or the API's principal). It
// returns the stored row (with its id) and the report.
func Freeze(ctx context.Context, st *store.Store, actor store.Actor, kind string, p Params, asOf time.Time) (store.FrozenReport, Report, error) {
	asOf = Day(asOf)
	r, err := Compute(ctx, st, kind, p, asOf)
	if err != nil {
		return store.FrozenReport{}, nil, err
	}
	body, err := encodeBody(r)
	if err != nil {
		return store.FrozenReport{}, nil, err
	}
	params, err := json.Marshal(p)
	if err != nil {
		return store.FrozenReport{}, nil, fmt.Errorf("report: encode params: %w", err)
	}
	fr := store.FrozenReport{Kind: kind, Params: params, AsOf: asOf, Body: body, FrozenBy: actor.Name}
	if fr.FrozenBy == "" {
		fr.FrozenBy = "system"
	}
	if err := st.FrozenReportInsert(ctx, actor, &fr); err != nil {
		return store.FrozenReport{}, nil, fmt.Errorf("report: freeze: %w", err)
	}
	return fr, r, nil
}

// DecodeFrozen reads a frozen report's body back into its report, for the CSV and XLSX
// exports of what was published.
func DecodeFrozen(fr store.FrozenReport) (Report, error) {
	var r Report
	switch fr.Kind {
	case KindCohort:
		r = &CohortReport{}
	case KindAnnual:
		r = &AnnualReport{}
	default:
		return nil, fmt.Errorf("report: frozen report %d of unknown kind %q", fr.ID, fr.Kind)
	}
	if err := json.Unmarshal(fr.Body, r); err != nil {
		return nil, fmt.Errorf("report: frozen report %d: %w", fr.ID, err)
	}
	return r, nil
}

// Change is one figure that differs between a frozen report and its recomputation: its
// path in the report's JSON (keys joined by dots, array items as [i]), the value as
// frozen and the value now. A zero count that a by_* object omits reads as 0; a figure
// that exists on one side only (a window, a region) reads as null on the other.
type Change struct {
	Path   string `json:"path"`
	Frozen any    `json:"frozen"`
	Now    any    `json:"now"`
}

// FrozenHead is what names a frozen report: its id, kind and parameters, its as_of, and
// who froze it when.
type FrozenHead struct {
	ID       int64           `json:"id"`
	Kind     string          `json:"kind"`
	Params   json.RawMessage `json:"params"`
	AsOf     string          `json:"as_of"`
	FrozenBy string          `json:"frozen_by"`
	FrozenAt time.Time       `json:"frozen_at"`
}

// HeadOf is fr's head.
func HeadOf(fr Frozen) FrozenHead {
	return FrozenHead{ID: fr.ID, Kind: fr.Kind, Params: fr.Params, AsOf: formatDate(fr.AsOf), FrozenBy: fr.FrozenBy,
		FrozenAt: fr.FrozenAt.UTC()}
}

// DiffReport compares a frozen report with the same report computed now with the same
// parameters and as_of.
type DiffReport struct {
	FrozenHead
	RecomputedAt time.Time `json:"recomputed_at"`
	Changes      []Change  `json:"changes"`
}

// Diff recomputes the frozen report fr with its parameters and as_of and lists every
// figure that differs (the "publication" note is not a figure and is left out). A
// parameter that no longer resolves (the school of its cut was deleted) is a
// *ParamError wrapped in ErrNotRecomputable.
func Diff(ctx context.Context, st *store.Store, fr store.FrozenReport) (DiffReport, error) {
	id := fr.ID
	var p Params
	if err := json.Unmarshal(fr.Params, &p); err != nil {
		return DiffReport{}, fmt.Errorf("report: frozen report %d: params: %w", id, err)
	}
	now, err := Compute(ctx, st, fr.Kind, p, fr.AsOf)
	var pe *ParamError
	if errors.As(err, &pe) {
		return DiffReport{}, fmt.Errorf("%w: %w", ErrNotRecomputable, err)
	}
	if err != nil {
		return DiffReport{}, fmt.Errorf("report: recompute frozen report %d: %w", id, err)
	}
	body, err := encodeBody(now)
	if err != nil {
		return DiffReport{}, err
	}
	changes, err := compareBodies(fr.Body, body)
	if err != nil {
		return DiffReport{}, fmt.Errorf("report: frozen report %d: %w", id, err)
	}
	return DiffReport{FrozenHead: HeadOf(fr), RecomputedAt: time.Now().UTC().Truncate(time.Second), Changes: changes}, nil
}

// compareBodies lists every figure that differs between two report bodies, the
// "publication" note left out (it is not a figure).
func compareBodies(frozen, now []byte) ([]Change, error) {
	a, err := decodeTree(frozen)
	if err != nil {
		return nil, err
	}
	b, err := decodeTree(now)
	if err != nil {
		return nil, err
	}
	for _, t := range []any{a, b} {
		if m, ok := t.(map[string]any); ok {
			delete(m, "publication")
		}
	}
	out := []Change{}
	diffTree("", a, b, &out)
	return out, nil
}

// decodeTree decodes JSON keeping numbers as written.
func decodeTree(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return v, nil
}

// diffTree appends to out every leaf where a and b differ. Numbers compare by value
// (PostgreSQL's jsonb may write 1e-05 as 0.00001).
func diffTree(path string, a, b any, out *[]Change) {
	am, aIsMap := a.(map[string]any)
	bm, bIsMap := b.(map[string]any)
	if aIsMap || bIsMap {
		if (a != nil && !aIsMap) || (b != nil && !bIsMap) {
			*out = append(*out, Change{Path: path, Frozen: a, Now: b})
			return
		}
		keys := make([]string, 0, len(am)+len(bm))
		for k := range am {
			keys = append(keys, k)
		}
		for k := range bm {
			if _, ok := am[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			av, aok := am[k]
			bv, bok := bm[k]
			// a count object omits zero keys: a number on one side is 0 on the other
			if !aok && aIsMap {
				av = zeroLike(bv)
			}
			if !bok && bIsMap {
				bv = zeroLike(av)
			}
			diffTree(joinPath(path, k), av, bv, out)
		}
		return
	}
	aa, aIsArr := a.([]any)
	ba, bIsArr := b.([]any)
	if aIsArr || bIsArr {
		if (a != nil && !aIsArr) || (b != nil && !bIsArr) {
			*out = append(*out, Change{Path: path, Frozen: a, Now: b})
			return
		}
		for i := range max(len(aa), len(ba)) {
			var av, bv any
			if i < len(aa) {
				av = aa[i]
			}
			if i < len(ba) {
				bv = ba[i]
			}
			diffTree(path+"["+strconv.Itoa(i)+"]", av, bv, out)
		}
		return
	}
	if !sameLeaf(a, b) {
		*out = append(*out, Change{Path: path, Frozen: a, Now: b})
	}
}

// zeroLike is what a missing key of a count object stands for: 0 beside a number,
// nothing beside anything else.
func zeroLike(v any) any {
	if _, ok := v.(json.Number); ok {
		return json.Number("0")
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// sameLeaf compares two JSON scalars, numbers by value.
func sameLeaf(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		af, aerr := an.Float64()
		bf, berr := bn.Float64()
		if aerr == nil && berr == nil {
			return af == bf
		}
		return an == bn
	}
	return a == b
}
