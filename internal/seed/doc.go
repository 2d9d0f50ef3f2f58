// Package seed generates the demo data of `talentdb seed demo`: organizations, mentors,
// editions 2019-2026 and persons with their whole history (nominations, school years,
// destinations, career moves, awards, follow-ups, consents), then the 2026 cycle.
//
// The data is a pure function of the seed and the scale: randomness comes from math/rand/v2
// PCG streams (one for the organizations, one per batch of persons), nothing reads the clock
// or ranges over a map to make a value, and "today" is fixed (DefaultToday). Batches are
// generated in parallel and written in order with COPY through internal/store, in one
// transaction. The package must never write into a database that already holds data, and
// never prints or logs an identity number or phone number in clear.
package seed
