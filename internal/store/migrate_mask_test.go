package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// TestMigrationRewritesOldMasks: 00092 turns every stored mask of the old form
// (5101**********0114, sequence and check digits shown) into the new one
// (5101**************): in persons, and anywhere in the audit log's before and after —
// though the audit log is append-only and both tables FORCE row-level security, and the
// migration runs, as under `talentdb serve`, on a connection without a scope. Afterwards
// the old form is refused.
func TestMigrationRewritesOldMasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.EmptyURL(t)
	dbtest.MigrateUpTo(t, url, 91)

	pool, err := pgxpool.New(ctx, url) // no owner scope: the migration must set its own
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	// office runs fn in a transaction of the office scope, as the tables' owner
	office := func(fn func(tx pgx.Tx) error) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, "SELECT set_config('talentdb.scope', 'office', true)"); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	person := func(tx pgx.Tx, name, masked string) (int64, error) {
		h := sha256.Sum256([]byte(name))
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date)
			VALUES ($1, '\x00', $2, $3, 'male', '2008-01-01') RETURNING id`, h[:], masked, name).Scan(&id)
		return id, err
	}

	const (
		before    = `{"name": "张晓明", "version": 1, "id_number_masked": "5101**********0114"}`
		after     = `{"name": "张晓明", "version": 2, "id_number_masked": "5101**********022X", "merged": [{"id_masked": "5101**********0114"}]}`
		untouched = `{"as_of": "2026-06-30", "school": "BS01", "note": "1234**********"}`
	)
	var pid int64
	err = office(func(tx pgx.Tx) error {
		var err error
		if pid, err = person(tx, "张晓明", "5101**********022X"); err != nil {
			return err
		}
		if _, err := person(tx, "李四", "5107**********3456"); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit_log (actor, action, entity, entity_id, person_id, before, after)
			VALUES ('t', 'update', 'person', $1::bigint::text, $1::bigint, $2, $3), ('t', 'read', 'follow_up_schedule', NULL, NULL, NULL, $4)`,
			pid, before, after, untouched)
		return err
	})
	if err != nil {
		t.Fatalf("old-form rows: %v", err)
	}

	m, err := store.New(pool).NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Up(ctx, io.Discard); err != nil {
		t.Fatalf("migrate on: %v", err)
	}

	var masks []string
	var audit [][2][]byte
	var forced bool
	err = office(func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT id_masked FROM persons ORDER BY id")
		if err != nil {
			return err
		}
		if masks, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, "SELECT coalesce(before, 'null'), after FROM audit_log ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var b, a []byte
			if err := rows.Scan(&b, &a); err != nil {
				return err
			}
			audit = append(audit, [2][]byte{b, a})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'audit_log'::regclass").Scan(&forced)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(masks, []string{"5101**************", "5107**************"}) {
		t.Errorf("persons.id_masked after the migration: %q", masks)
	}
	if len(audit) != 2 {
		t.Fatalf("%d audit rows", len(audit))
	}
	sameJSON(t, "before", audit[0][0], `{"name": "张晓明", "version": 1, "id_number_masked": "5101**************"}`)
	sameJSON(t, "after", audit[0][1],
		`{"name": "张晓明", "version": 2, "id_number_masked": "5101**************", "merged": [{"id_masked": "5101**************"}]}`)
	sameJSON(t, "a row without a mask", audit[1][1], untouched)
	if !forced {
		t.Error("audit_log no longer FORCEs row-level security")
	}

	// the old form is refused, under the constraint name the API maps to id_number
	err = office(func(tx pgx.Tx) error { _, err := person(tx, "王五", "5101**********0335"); return err })
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23514" || pgErr.ConstraintName != "persons_id_masked_check" {
		t.Fatalf("an old-form mask after the migration: %v", err)
	}
}

// sameJSON fails unless got and want are the same JSON value.
func sameJSON(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v: %s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: %s, want %s", what, got, want)
	}
}
