package organization

import "talentdb/internal/store"

// The types the door takes and returns, named here so the paths above it never name the
// store. Their JSON names are the API's (and the audit log's).

// Organization is a school, a training institution or the office.
type Organization = store.Organization

// Contact is one contact block of an organization (unit head or project lead).
type Contact = store.Contact

// OrganizationInput is everything a caller may set on an organization.
type OrganizationInput = store.OrganizationInput

// Filter selects one page of organizations; nil fields do not filter.
type Filter = store.OrganizationFilter
