package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/db"
	"talentdb/internal/access"
)

// This file also holds the error types the API-facing write paths share (ConstraintError,
// FieldError, DeleteBlockedError): they tell the layer above which field or which
// dependent rows refused a write, so it can answer with more than "conflict".

// ConstraintError is a write refused by a named constraint of the schema (the doors'
// error type, internal/access). Unique and foreign-key violations match ErrConflict.
type ConstraintError = access.ConstraintError

// FieldError is an input the store refused for a reason it can name: a code that does not
// resolve, a value that does not fit the program. Field is the public key of the input
// (school_code, category …); Message is user-facing, in Chinese and English.
type FieldError = access.FieldError

// DeleteBlockedError is a delete refused because other rows depend on the row or because
// its state forbids it (internal/access). It matches ErrConflict.
type DeleteBlockedError = access.DeleteBlockedError

// writeErr maps an error of a write path: constraint violations become *ConstraintError
// (a refused delete's foreign key a *DeleteBlockedError when entity is given), the
// store's own typed errors pass through, and the rest goes through mapErr.
func writeErr(op, deleting string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FieldError
	var be *DeleteBlockedError
	if errors.As(err, &fe) || errors.As(err, &be) || errors.Is(err, ErrStale) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		kind := ""
		switch pe.Code {
		case "23505":
			kind = "unique"
		case "23503":
			kind = "foreign_key"
		case "23514":
			kind = "check"
		case "23502":
			kind = "not_null"
		}
		if kind == "foreign_key" && deleting != "" {
			return &DeleteBlockedError{Entity: deleting, By: pe.TableName}
		}
		if kind != "" {
			return &ConstraintError{Kind: kind, Constraint: pe.ConstraintName, Table: pe.TableName, Op: op, Err: pe}
		}
	}
	return mapErr(op, err)
}

// checkVersion is the optimistic-concurrency test of every update: the caller read
// version want, the row now has got.
func checkVersion(got int32, want int) error {
	if int(got) != want {
		return ErrStale
	}
	return nil
}

// Contact is one contact block of an organization's application form (unit head or
// project lead).
type Contact struct {
	Name        *string
	Title       *string
	OfficePhone *string
	Mobile      *string
	Email       *string
	Fax         *string
}

// Organization is a school, a training institution or the office.
type Organization struct {
	ID         int64
	Code       string
	Name       string
	Kind       string
	Type       *string
	RegionCode string
	CityCode   string
	Address    *string
	PostalCode *string
	Head       Contact
	Lead       Contact
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

// OrganizationInput is everything a client may set on an organization.
type OrganizationInput struct {
	Code       string
	Name       string
	Kind       string
	Type       *string
	RegionCode string
	Address    *string
	PostalCode *string
	Head       Contact
	Lead       Contact
}

// OrganizationFilter selects one page of organizations. Nil fields do not filter.
type OrganizationFilter struct {
	Code         *string
	Codes        []string // any of these codes (nil: no filter)
	Kind         *string
	Type         *string
	Region       *string // province, city or county code
	NameContains *string
	AfterID      int64
	Limit        int
}

func organizationFrom(r db.Organization) Organization {
	return Organization{ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, Type: r.Type,
		RegionCode: r.RegionCode, CityCode: deref(r.CityCode), Address: r.Address, PostalCode: r.PostalCode,
		Head: Contact{Name: r.HeadName, Title: r.HeadTitle, OfficePhone: r.HeadOfficePhone, Mobile: r.HeadMobile,
			Email: r.HeadEmail, Fax: r.HeadFax},
		Lead: Contact{Name: r.LeadName, Title: r.LeadTitle, OfficePhone: r.LeadOfficePhone, Mobile: r.LeadMobile,
			Email: r.LeadEmail, Fax: r.LeadFax},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// organizationAudit is an organization as the audit log shows it.
func organizationAudit(o Organization) map[string]any {
	return map[string]any{"id": o.ID, "code": o.Code, "name": o.Name, "kind": o.Kind, "type": o.Type,
		"region_code": o.RegionCode, "city_code": o.CityCode, "address": o.Address, "postal_code": o.PostalCode,
		"head": contactAudit(o.Head), "lead": contactAudit(o.Lead), "created_at": o.CreatedAt,
		"updated_at": o.UpdatedAt, "version": o.Version}
}

// contactAudit is a contact block as the audit images of organizations and applications
// show it.
func contactAudit(c Contact) map[string]any {
	return map[string]any{"name": c.Name, "title": c.Title, "office_phone": c.OfficePhone, "mobile": c.Mobile,
		"email": c.Email, "fax": c.Fax}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// OrganizationGet returns one organization or ErrNotFound.
func (s *Store) OrganizationGet(ctx context.Context, id int64) (Organization, error) {
	return rowOf(ctx, s, "get organization", id, getter(s.q.OrganizationGet, organizationFrom))
}

// OrganizationList returns up to f.Limit organizations with id > f.AfterID, by id.
func (s *Store) OrganizationList(ctx context.Context, f OrganizationFilter) ([]Organization, error) {
	return listOf("list organizations", organizationFrom)(s.q.OrganizationList(ctx, s.scoped(),
		db.OrganizationListParams{AfterID: f.AfterID, Code: f.Code, Codes: f.Codes, Kind: f.Kind, Type: f.Type, Region: f.Region,
			NameContains: f.NameContains, Lim: int32(f.Limit)}))
}

// OrganizationCreate inserts an organization and audits it.
func (s *Store) OrganizationCreate(ctx context.Context, a Actor, in OrganizationInput) (Organization, error) {
	return createTx(ctx, s, "create organization", func(tx pgx.Tx) (Organization, error) {
		r, err := s.q.OrganizationInsert(ctx, tx, db.OrganizationInsertParams{Code: in.Code, Name: in.Name,
			Kind: in.Kind, Type: in.Type, RegionCode: in.RegionCode, Address: in.Address, PostalCode: in.PostalCode,
			HeadName: in.Head.Name, HeadTitle: in.Head.Title, HeadOfficePhone: in.Head.OfficePhone,
			HeadMobile: in.Head.Mobile, HeadEmail: in.Head.Email, HeadFax: in.Head.Fax,
			LeadName: in.Lead.Name, LeadTitle: in.Lead.Title, LeadOfficePhone: in.Lead.OfficePhone,
			LeadMobile: in.Lead.Mobile, LeadEmail: in.Lead.Email, LeadFax: in.Lead.Fax})
		if err != nil {
			return Organization{}, err
		}
		out := organizationFrom(r)
		return out, s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "organization",
			EntityID: fmt.Sprint(out.ID), After: organizationAudit(out)})
	})
}

// OrganizationUpdate replaces the fields of organization id, provided it is still at
// version (else ErrStale), and audits the change.
func (s *Store) OrganizationUpdate(ctx context.Context, a Actor, id int64, version int, in OrganizationInput) (Organization, error) {
	return updateLocked(ctx, s, a, id, &version, lockedWrite[int64, Organization]{op: "update organization",
		entity: "organization", lock: s.q.OrganizationLock, get: getter(s.q.OrganizationGet, organizationFrom),
		write: func(ctx context.Context, tx pgx.Tx, _ Organization) (*Organization, error) {
			r, err := s.q.OrganizationUpdate(ctx, tx, db.OrganizationUpdateParams{ID: id, Code: in.Code, Name: in.Name,
				Kind: in.Kind, Type: in.Type, RegionCode: in.RegionCode, Address: in.Address, PostalCode: in.PostalCode,
				HeadName: in.Head.Name, HeadTitle: in.Head.Title, HeadOfficePhone: in.Head.OfficePhone,
				HeadMobile: in.Head.Mobile, HeadEmail: in.Head.Email, HeadFax: in.Head.Fax,
				LeadName: in.Lead.Name, LeadTitle: in.Lead.Title, LeadOfficePhone: in.Lead.OfficePhone,
				LeadMobile: in.Lead.Mobile, LeadEmail: in.Lead.Email, LeadFax: in.Lead.Fax})
			if err != nil {
				return nil, err
			}
			return new(organizationFrom(r)), nil
		},
		audit: func(before, after Organization) AuditEntry {
			return AuditEntry{Action: "update", Before: organizationAudit(before), After: organizationAudit(after)}
		}})
}

// OrganizationDelete deletes an organization nothing refers to. When version is not nil
// the row must still be at that version. A referenced organization is a *DeleteBlockedError.
func (s *Store) OrganizationDelete(ctx context.Context, a Actor, id int64, version *int) error {
	return deleteRow(ctx, s, a, "organization", id, version, s.q.OrganizationLock,
		getter(s.q.OrganizationGet, organizationFrom), s.q.OrganizationDelete,
		func(before Organization) AuditEntry { return AuditEntry{Before: organizationAudit(before)} })
}

// organizationByCode resolves an organization code inside a write, as a *FieldError
// naming field when it does not exist or is not of kind (when kind is not empty).
func (s *Store) organizationByCode(ctx context.Context, q db.DBTX, field, code, kind string) (int64, error) {
	r, err := s.organizationRowByCode(ctx, q, field, code, kind)
	return r.ID, err
}

// organizationRowByCode is organizationByCode returning the whole row.
func (s *Store) organizationRowByCode(ctx context.Context, q db.DBTX, field, code, kind string) (db.Organization, error) {
	r, err := s.q.OrganizationGetByCode(ctx, q, code)
	if err != nil {
		return r, missing(err, field, fmt.Sprintf("没有代码为 %s 的单位 / no organization has code %s", code, code))
	}
	if kind != "" && r.Kind != kind {
		return r, &FieldError{Field: field, Rule: "kind",
			Message: fmt.Sprintf("单位 %s 的类型是 %s，应为 %s / organization %s is a %s, not a %s", code, r.Kind, kind, code, r.Kind, kind)}
	}
	return r, nil
}
