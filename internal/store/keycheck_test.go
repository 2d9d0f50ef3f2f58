package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// TestKeyCheckNotForTheService: the service's role has no privilege on key_check, so no
// statement of a request can read or replace the key check value.
func TestKeyCheckNotForTheService(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	for _, priv := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"} {
		var has bool
		if err := st.Pool.QueryRow(ctx, "SELECT has_table_privilege($1, 'key_check', $2)", store.AppRole, priv).
			Scan(&has); err != nil {
			t.Fatal(err)
		}
		if has {
			t.Errorf("%s has %s on key_check", store.AppRole, priv)
		}
	}
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "SELECT kcv FROM key_check")
		return err
	})
	if err == nil {
		t.Error("a scoped transaction read key_check")
	}
}

// TestKeyCheckRecordOnce: a fresh database has no check value and nothing sealed; the
// first value recorded stays, and a second, different one gets the first back.
func TestKeyCheckRecordOnce(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	ks, err := st.KeyState(ctx)
	if err != nil || !ks.Fresh() {
		t.Fatalf("fresh database: %+v %v", ks, err)
	}
	a, b := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if got, err := st.KeyCheckRecord(ctx, a); err != nil || !bytes.Equal(got, a) {
		t.Fatalf("first record: %x %v", got, err)
	}
	if got, err := st.KeyCheckRecord(ctx, b); err != nil || !bytes.Equal(got, a) {
		t.Fatalf("second record: %x %v, want the first value back", got, err)
	}
	if ks, err := st.KeyState(ctx); err != nil || !bytes.Equal(ks.CheckValue, a) || ks.Fresh() {
		t.Fatalf("state after recording: %+v %v", ks, err)
	}
}

// TestKeyStateSeesThroughRowSecurity: the store of `talentdb serve` has no default scope,
// yet the start-up check sees the persons of every school (row-level security would hide
// them from a connection without a scope, and the database would look fresh).
func TestKeyStateSeesThroughRowSecurity(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	fixture := dbtest.Open(t, url)
	ctx := context.Background()
	id, err := identity.ParseIDNumber("11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fixture.Pool.Exec(ctx, `INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date)
		VALUES (sha256('k'), '\x0102', $1, '甲', 'female', '1949-12-31')`, id.Masked()); err != nil {
		t.Fatal(err)
	}
	serverStore, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer serverStore.Close()
	var visible int
	if err := serverStore.Pool.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&visible); err != nil || visible != 0 {
		t.Fatalf("an unscoped owner connection sees %d persons (%v); the test would prove nothing", visible, err)
	}
	ks, err := serverStore.KeyState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ks.Sealed, []byte{1, 2}) || ks.Fresh() {
		t.Fatalf("key state %+v: the person's ciphertext was not seen", ks)
	}
}

// TestKeyStateNotMigrated: a database without the table says to migrate.
func TestKeyStateNotMigrated(t *testing.T) {
	t.Parallel()
	st := dbtest.Open(t, dbtest.EmptyURL(t))
	if _, err := st.KeyState(context.Background()); !errors.Is(err, store.ErrNotMigrated) {
		t.Fatalf("empty database: %v, want ErrNotMigrated", err)
	}
}
