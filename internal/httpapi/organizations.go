package httpapi

import (
	"context"
	"fmt"
	"net/http"

	"talentdb/internal/access"
	"talentdb/internal/organization"
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
			organization.RegionOutsideSichuan},
	})
}

// organizationView is an organization as the API shows it.
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
	stamps
}

func viewOrganization(o organization.Organization) organizationView {
	return organizationView{ID: o.ID, Code: o.Code, Name: o.Name, Kind: o.Kind, Type: o.Type, RegionCode: o.RegionCode,
		CityCode: o.CityCode, Address: o.Address, PostalCode: o.PostalCode, Head: contactView(o.Head),
		Lead: contactView(o.Lead), stamps: stamps{o.CreatedAt, o.UpdatedAt, o.Version}}
}

// contactView is an organization's head or lead block as the API shows and takes it; the
// cycle's application form has the same two. Its fields are the door's Contact's, so
// either converts to the other.
type contactView struct {
	Name        *string `json:"name"`
	Title       *string `json:"title"`
	OfficePhone *string `json:"office_phone"`
	Mobile      *string `json:"mobile"`
	Email       *string `json:"email"`
	Fax         *string `json:"fax"`
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

func organizationBodyOf(o organization.Organization) organizationBody {
	head, lead := contactView(o.Head), contactView(o.Lead)
	return organizationBody{Code: &o.Code, Name: &o.Name, Kind: &o.Kind, Type: o.Type, RegionCode: &o.RegionCode,
		Address: o.Address, PostalCode: o.PostalCode, Head: &head, Lead: &lead}
}

// input is the body as the door takes it: absent fields blank, contacts empty.
func (b organizationBody) input() organization.OrganizationInput {
	contact := func(v *contactView) organization.Contact {
		if v == nil {
			return organization.Contact{}
		}
		return organization.Contact(*v)
	}
	return organization.OrganizationInput{Code: deref(b.Code), Name: deref(b.Name), Kind: deref(b.Kind), Type: b.Type,
		RegionCode: deref(b.RegionCode), Address: b.Address, PostalCode: b.PostalCode,
		Head: contact(b.Head), Lead: contact(b.Lead)}
}

func (s *server) listOrganizations(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "code", "kind", "type", "region", "q")
	f := organization.Filter{Code: q.str("code"), Kind: q.enum("kind", vocab.OrgKinds.Keys()...),
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
	respondPage(w, rows, f.Limit-1, func(o organization.Organization) any { return o.ID }, viewOrganization)
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
	updateByID(w, r, "organization", fail, func(ctx context.Context, c access.Caller, id int64, version int) (organization.Organization, error) {
		return s.doors.Organizations.Update(ctx, c, id, version, func(cur organization.Organization) (organization.OrganizationInput, error) {
			b := organizationBodyOf(cur)
			err := s.decode(w, r, &b)
			return b.input(), err
		})
	}, organizationVersion, viewOrganization)
}

func organizationVersion(o organization.Organization) int { return o.Version }

func (s *server) deleteOrganization(w http.ResponseWriter, r *http.Request) {
	deleteByID(w, r, "organization", fail, s.doors.Organizations.Delete)
}
