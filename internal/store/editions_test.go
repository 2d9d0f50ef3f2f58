package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

func TestEditionEnsureIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.New(t)
	e := store.Edition{ID: "jingke-2023", Program: "jingke", Year: 2023,
		StartsOn: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}
	if _, created, err := st.EditionEnsure(ctx, e); err != nil || !created {
		t.Fatalf("first: created=%v err=%v", created, err)
	}
	got, created, err := st.EditionEnsure(ctx, e)
	if err != nil || created {
		t.Fatalf("second: created=%v err=%v", created, err)
	}
	if got.Version != 1 {
		t.Fatalf("edition was rewritten: version %d", got.Version)
	}
	e.EndsOn = e.EndsOn.AddDate(0, 1, 0)
	if _, _, err := st.EditionEnsure(ctx, e); !errors.Is(err, store.ErrEditionDates) {
		t.Fatalf("other dates: err=%v, want ErrEditionDates", err)
	}
}
