package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/organization"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Organizations (单位): schools, training institutions and the office. The rules of an
// organization are internal/organization's; these handlers decode, make one call to it and
// answer.

// rePostalCode is the form of a postal code, which the cycle's application form checks too.
var rePostalCode = organization.PostalCodeRE

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

// input is the body as the door takes it: absent fields blank, contacts empty.
func (b organizationBody) input() store.OrganizationInput {
	contact := func(v *contactView) store.Contact {
		if v == nil {
			return store.Contact{}
		}
		return store.Contact(*v)
	}
	return store.OrganizationInput{Code: deref(b.Code), Name: deref(b.Name), Kind: deref(b.Kind), Type: b.Type,
		RegionCode: deref(b.RegionCode), Address: b.Address, PostalCode: b.PostalCode,
		Head: contact(b.Head), Lead: contact(b.Lead)}
}

func (s *server) listOrganizations(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "code", "kind", "type", "region", "q")
	f := store.OrganizationFilter{Code: q.str("code"), Kind: q.enum("kind", vocab.OrgKinds.Keys()...),
		Type: q.enum("type", vocab.OrgTypes.Keys()...), Region: q.str("region"), NameContains: q.str("q"), Limit: q.limit() + 1}
	if f.Region != nil && !organization.RegionCodeRE.MatchString(*f.Region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Organizations.List(r.Context(), callerFrom(r), f)
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
	o, err := s.doors.Organizations.Get(r.Context(), callerFrom(r), id)
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
	o, err := s.doors.Organizations.Create(r.Context(), callerFrom(r), b.input())
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
	o, err := s.doors.Organizations.Update(r.Context(), callerFrom(r), id, version, func(cur store.Organization) (store.OrganizationInput, error) {
		b := organizationBodyOf(cur)
		err := s.decode(w, r, &b)
		return b.input(), err
	})
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
	if err := s.doors.Organizations.Delete(r.Context(), callerFrom(r), id, version); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
