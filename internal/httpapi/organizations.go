package httpapi

import (
	"fmt"
	"net/http"
	"regexp"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Organizations (单位): schools, training institutions and the office.

var (
	reOrgCode    = regexp.MustCompile(`^\S{1,64}$`)
	reRegionCode = regexp.MustCompile(`^[0-9]{6}$`)
	rePostalCode = regexp.MustCompile(`^[0-9]{6}$`)
)

func init() {
	registerConstraints(map[string]constraintField{
		"organizations_code_key": {http.StatusConflict, "code", "unique",
			"已有单位使用该代码 / another organization already has this code"},
		"organizations_city_code_fkey": {http.StatusBadRequest, "region_code", "exists",
			"行政区划代码不属于已知的市州 / region_code is not within a known city or prefecture"},
	})
}

type contactView struct {
	Name        *string `json:"name"`
	Title       *string `json:"title"`
	OfficePhone *string `json:"office_phone"`
	Mobile      *string `json:"mobile"`
	Email       *string `json:"email"`
	Fax         *string `json:"fax"`
}

type organizationView struct {
	ID         int64       `json:"id"`
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Kind       string      `json:"kind"`
	Type       *string     `json:"type"`
	RegionCode string      `json:"region_code"`
	CityCode   string      `json:"city_code"`
	Address    *string     `json:"address"`
	PostalCode *string     `json:"postal_code"`
	Head       contactView `json:"head"`
	Lead       contactView `json:"lead"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
	Version    int         `json:"version"`
}

func viewOrganization(o store.Organization) organizationView {
	return organizationView{ID: o.ID, Code: o.Code, Name: o.Name, Kind: o.Kind, Type: o.Type,
		RegionCode: o.RegionCode, CityCode: o.CityCode, Address: o.Address, PostalCode: o.PostalCode,
		Head: contactView(o.Head), Lead: contactView(o.Lead), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		Version: o.Version}
}

// organizationBody is the request body of POST and PATCH. On PATCH it starts as the
// current organization and the patch is decoded over it (JSON merge patch: absent keeps,
// null clears, a value replaces; head and lead merge key by key).
type organizationBody struct {
	Code       *string      `json:"code"`
	Name       *string      `json:"name"`
	Kind       *string      `json:"kind"`
	Type       *string      `json:"type"`
	RegionCode *string      `json:"region_code"`
	Address    *string      `json:"address"`
	PostalCode *string      `json:"postal_code"`
	Head       *contactView `json:"head"`
	Lead       *contactView `json:"lead"`
}

func organizationBodyOf(o store.Organization) organizationBody {
	head, lead := contactView(o.Head), contactView(o.Lead)
	return organizationBody{Code: &o.Code, Name: &o.Name, Kind: &o.Kind, Type: o.Type, RegionCode: &o.RegionCode,
		Address: o.Address, PostalCode: o.PostalCode, Head: &head, Lead: &lead}
}

func (b organizationBody) validate() (store.OrganizationInput, error) {
	var c checker
	in := store.OrganizationInput{
		Code: c.required("code", b.Code), Name: c.required("name", b.Name), Kind: c.required("kind", b.Kind),
		Type: c.optional(b.Type), RegionCode: c.required("region_code", b.RegionCode),
		Address: c.optional(b.Address), PostalCode: c.optional(b.PostalCode),
	}
	c.match("code", &in.Code, reOrgCode, "1 到 64 个非空白字符", "1 to 64 characters without spaces")
	c.maxLen("name", &in.Name, 200)
	c.enum("kind", &in.Kind, vocab.OrgKinds.Keys()...)
	c.enum("type", in.Type, vocab.OrgTypes.Keys()...)
	c.match("region_code", &in.RegionCode, reRegionCode, "6 位行政区划代码", "a 6-digit GB/T 2260 code")
	c.match("postal_code", in.PostalCode, rePostalCode, "6 位邮政编码", "a 6-digit postal code")
	contact := func(prefix string, v *contactView) store.Contact {
		if v == nil {
			return store.Contact{}
		}
		out := store.Contact{Name: c.optional(v.Name), Title: c.optional(v.Title), OfficePhone: c.optional(v.OfficePhone),
			Mobile: c.optional(v.Mobile), Email: c.optional(v.Email), Fax: c.optional(v.Fax)}
		for field, val := range map[string]*string{"name": out.Name, "title": out.Title, "office_phone": out.OfficePhone,
			"mobile": out.Mobile, "email": out.Email, "fax": out.Fax} {
			c.maxLen(prefix+"."+field, val, 100)
		}
		return out
	}
	in.Head, in.Lead = contact("head", b.Head), contact("lead", b.Lead)
	return in, c.err()
}

func (s *server) listOrganizations(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "code", "kind", "type", "region", "q")
	f := store.OrganizationFilter{Code: q.str("code"), Kind: q.enum("kind", vocab.OrgKinds.Keys()...),
		Type: q.enum("type", vocab.OrgTypes.Keys()...), Region: q.str("region"), NameContains: q.str("q"), Limit: q.limit() + 1}
	if f.Region != nil && !reRegionCode.MatchString(*f.Region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.store.OrganizationList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(o store.Organization) any { return o.ID }, viewOrganization)
}

func (s *server) getOrganization(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "organization")
	if err != nil {
		fail(w, r, err)
		return
	}
	o, err := s.store.OrganizationGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, o.Version, viewOrganization(o))
}

func (s *server) createOrganization(w http.ResponseWriter, r *http.Request) {
	var b organizationBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	o, err := s.store.OrganizationCreate(r.Context(), actorFrom(r), in)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/organizations/%d", o.ID), o.Version, viewOrganization(o))
}

func (s *server) updateOrganization(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "organization")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	cur, err := s.store.OrganizationGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if cur.Version != version {
		fail(w, r, store.ErrStale)
		return
	}
	b := organizationBodyOf(cur)
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	o, err := s.store.OrganizationUpdate(r.Context(), actorFrom(r), id, version, in)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, o.Version, viewOrganization(o))
}

func (s *server) deleteOrganization(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "organization")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := s.store.OrganizationDelete(r.Context(), actorFrom(r), id, version); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
