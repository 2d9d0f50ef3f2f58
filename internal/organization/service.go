package organization

import (
	"context"
	"regexp"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

var (
	// RegionCodeRE is a GB/T 2260 administrative division code (province, city or
	// county): the form of an organization's region_code and of a filter by region.
	RegionCodeRE = regexp.MustCompile(`^[0-9]{6}$`)
	// PostalCodeRE is a Chinese postal code, of an organization or of an application form.
	PostalCodeRE = regexp.MustCompile(`^[0-9]{6}$`)

	codeRE = regexp.MustCompile(`^\S{1,64}$`) // 1 to 64 characters without spaces
)

// Service is the door to organizations.
type Service struct {
	st *store.Store
}

// New returns the service over st. st's default scope, if any, is never used: every call
// runs in the scope of its caller.
func New(st *store.Store) *Service { return &Service{st: st.WithoutDefault()} }

// in returns ctx carrying c's scope, for the store.
func in(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// Get reads one organization, or access.ErrNotFound.
func (s *Service) Get(ctx context.Context, c access.Caller, id int64) (Organization, error) {
	if err := access.Authorize(c, access.ReferenceRead); err != nil {
		return Organization{}, err
	}
	return s.st.OrganizationGet(in(ctx, c), id)
}

// List returns up to f.Limit organizations with id > f.AfterID, by id (a path that
// pages asks for one more than it shows, to tell whether a next page exists).
func (s *Service) List(ctx context.Context, c access.Caller, f Filter) ([]Organization, error) {
	if err := access.Authorize(c, access.ReferenceRead); err != nil {
		return nil, err
	}
	return s.st.OrganizationList(in(ctx, c), f)
}

// Create validates and inserts an organization, audited. Invalid fields come back all at
// once, as *access.FieldError joined (check.All lists them), a region outside every city of
// Sichuan among them; a code already taken is the store's *store.ConstraintError.
func (s *Service) Create(ctx context.Context, c access.Caller, input OrganizationInput) (Organization, error) {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return Organization{}, err
	}
	v, err := validate(input)
	if err != nil {
		return Organization{}, err
	}
	return s.st.OrganizationCreate(in(ctx, c), store.ActorFor(c), v)
}

// Patch turns the current organization into the fields to write: for the API, a JSON
// merge patch decoded over it. An error it returns is returned as is.
type Patch func(cur Organization) (OrganizationInput, error)

// Update changes organization id, provided it is still at version (else access.ErrStale),
// audited. patch sees the current organization, read in the caller's scope after the
// version check, and returns the fields to write, which are validated as on Create. The
// write is one transaction that checks the version again, so a change that lands between
// the read and the write is refused, never overwritten.
func (s *Service) Update(ctx context.Context, c access.Caller, id int64, version int, patch Patch) (Organization, error) {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return Organization{}, err
	}
	ctx = in(ctx, c)
	cur, err := s.st.OrganizationGet(ctx, id)
	if err != nil {
		return Organization{}, err
	}
	if cur.Version != version {
		return Organization{}, access.ErrStale
	}
	input, err := patch(cur)
	if err != nil {
		return Organization{}, err
	}
	v, err := validate(input)
	if err != nil {
		return Organization{}, err
	}
	return s.st.OrganizationUpdate(ctx, store.ActorFor(c), id, version, v)
}

// Delete deletes an organization nothing refers to (else a *store.DeleteBlockedError),
// audited. When version is not nil the organization must still be at that version.
func (s *Service) Delete(ctx context.Context, c access.Caller, id int64, version *int) error {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return err
	}
	return s.st.OrganizationDelete(in(ctx, c), store.ActorFor(c), id, version)
}

// RegionOutsideSichuan is the message of a region code in no city of Sichuan: the contract
// takes the province, a city or prefecture, or a code within one (docs/contract-readings.md).
const RegionOutsideSichuan = "行政区划代码不属于已知的市州 / region_code is not within a known city or prefecture"

// validate returns input trimmed (blank optional fields become absent) and checked: code,
// name, kind and region code required; the code, region and postal code in their forms,
// the region within a city of Sichuan (vocab.InSichuan);
// kind and type from vocab; names and contacts within their lengths. Every invalid field
// is reported, as *access.FieldError joined.
func validate(input OrganizationInput) (OrganizationInput, error) {
	var c check.Fields
	out := OrganizationInput{
		Code: c.Required("code", input.Code), Name: c.Required("name", input.Name), Kind: c.Required("kind", input.Kind),
		Type: c.Optional(input.Type), RegionCode: c.Required("region_code", input.RegionCode),
		Address: c.Optional(input.Address), PostalCode: c.Optional(input.PostalCode),
	}
	c.Match("code", &out.Code, codeRE, "1 到 64 个非空白字符", "1 to 64 characters without spaces")
	c.MaxLen("name", &out.Name, 200)
	c.Enum("kind", &out.Kind, vocab.OrgKinds.Keys()...)
	c.Enum("type", out.Type, vocab.OrgTypes.Keys()...)
	c.Match("region_code", &out.RegionCode, RegionCodeRE, "6 位行政区划代码", "a 6-digit GB/T 2260 code")
	if RegionCodeRE.MatchString(out.RegionCode) && !vocab.InSichuan(out.RegionCode) {
		c.Add("region_code", "exists", RegionOutsideSichuan)
	}
	c.Match("postal_code", out.PostalCode, PostalCodeRE, "6 位邮政编码", "a 6-digit postal code")
	contact := func(prefix string, v Contact) Contact {
		o := Contact{Name: c.Optional(v.Name), Title: c.Optional(v.Title), OfficePhone: c.Optional(v.OfficePhone),
			Mobile: c.Optional(v.Mobile), Email: c.Optional(v.Email), Fax: c.Optional(v.Fax)}
		for _, f := range []struct {
			name string
			v    *string
		}{{"name", o.Name}, {"title", o.Title}, {"office_phone", o.OfficePhone}, {"mobile", o.Mobile},
			{"email", o.Email}, {"fax", o.Fax}} {
			c.MaxLen(prefix+"."+f.name, f.v, 100)
		}
		return o
	}
	out.Head, out.Lead = contact("head", input.Head), contact("lead", input.Lead)
	return out, c.Err()
}
