package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The key check value of the identity-number master key (migrations/00091_key_check.sql;
// docs/security.md, "The key file"). The commands that load the key read and write it at
// start-up, before they serve anyone: on the owner's connection, not as AppRole, which has
// no privilege on the table.

// ErrNotMigrated: the database lacks a table of the current schema; `talentdb migrate up`
// creates it.
var ErrNotMigrated = errors.New("the database is not migrated: run talentdb migrate up")

// KeyState is what a database holds of the identity-number key.
type KeyState struct {
	// CheckValue is the stored key check value; nil when none is stored yet.
	CheckValue []byte
	// Sealed is one ciphertext sealed with the key (an identity number, else a mentor's
	// phone); nil when the database holds no encrypted number at all.
	Sealed []byte
}

// Fresh reports whether the database has met no key yet: no check value and nothing
// encrypted. Only then may a new key be made for it.
func (k KeyState) Fresh() bool { return k.CheckValue == nil && k.Sealed == nil }

// KeyState reads the stored check value and one ciphertext, in the office scope so that
// row-level security hides no person from the owner.
func (s *Store) KeyState(ctx context.Context) (KeyState, error) {
	var st KeyState
	err := s.asOwnerTx(ctx, func(tx pgx.Tx) error {
		row, err := s.q.KeyCheckState(ctx, tx)
		st = KeyState{CheckValue: row.Kcv, Sealed: row.Sealed}
		return err
	})
	if err != nil {
		return KeyState{}, keyCheckErr("key check", err)
	}
	return st, nil
}

// KeyCheckRecord stores kcv as the database's key check value unless one is stored
// already, and returns the value stored: when it is not kcv, another key was recorded
// first.
func (s *Store) KeyCheckRecord(ctx context.Context, kcv []byte) ([]byte, error) {
	var stored []byte
	err := s.asOwnerTx(ctx, func(tx pgx.Tx) error {
		var err error
		stored, err = s.q.KeyCheckInsert(ctx, tx, kcv)
		return err
	})
	if err != nil {
		return nil, keyCheckErr("record key check", err)
	}
	return stored, nil
}

// asOwnerTx runs fn as the connecting user (the tables' owner) in the office scope.
func (s *Store) asOwnerTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.Pool, pgx.TxOptions{BeginQuery: "BEGIN; " + OfficeScope.settings(true)}, fn)
}

func keyCheckErr(op string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table: before migration 00091
		return fmt.Errorf("store: %s: %w", op, ErrNotMigrated)
	}
	return mapErr(op, err)
}
