package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// openKeys loads the identity-number keys for the database st is connected to, and refuses
// a key that is not the database's (docs/security.md, "The key file"):
//   - the database holds a key check value: the key must match it;
//   - it holds none but holds ciphertexts (written before check values existed): the key
//     must open one of them, and its check value is then recorded;
//   - it holds neither (fresh): the key is accepted and its check value recorded, and a
//     missing key file is created — the only case where a new key is made.
//
// A key file that its group or others may read is refused whatever the database holds.
// Each refusal is one line that names the file (or TALENTDB_SECRET_KEY).
func openKeys(ctx context.Context, env *Env, st *store.Store) (*identity.Keys, error) {
	state, err := st.KeyState(ctx)
	if err != nil {
		return nil, err
	}
	return checkKeys(ctx, env, state, st.KeyCheckRecord)
}

// checkKeys is openKeys on a database's key state; record stores a check value and returns
// the one stored (nil: a database yet to be created, nothing to record).
func checkKeys(ctx context.Context, env *Env, state store.KeyState,
	record func(context.Context, []byte) ([]byte, error)) (*identity.Keys, error) {
	src := "key file " + env.Cfg.KeyFile
	check := "check TALENTDB_KEY_FILE or --key-file"
	var (
		keys    *identity.Keys
		created bool // a new key file was written for this database
		err     error
	)
	if env.Cfg.SecretKey != "" {
		src, check = "TALENTDB_SECRET_KEY", "check TALENTDB_SECRET_KEY"
		if keys, err = identity.ParseSecret(env.Cfg.SecretKey); err != nil {
			return nil, fmt.Errorf("TALENTDB_SECRET_KEY: %w", err)
		}
	} else {
		keys, err = identity.ReadKeyFile(env.Cfg.KeyFile)
		if errors.Is(err, fs.ErrNotExist) {
			switch {
			case state.Sealed != nil:
				return nil, fmt.Errorf("%s does not exist, but this database holds encrypted identity numbers: "+
					"restore the key file (or %s)", src, check)
			case state.CheckValue != nil:
				return nil, fmt.Errorf("%s does not exist, but this database was set up with a key: "+
					"restore the key file (or %s)", src, check)
			}
			keys, err = identity.CreateKeyFile(env.Cfg.KeyFile)
			created = err == nil
			if errors.Is(err, fs.ErrExist) { // another process created it meanwhile
				keys, err = identity.ReadKeyFile(env.Cfg.KeyFile)
			}
		}
		if err != nil {
			return nil, err
		}
	}

	if state.CheckValue != nil {
		if !keys.Matches(state.CheckValue) {
			return nil, fmt.Errorf("%s does not match this database's key (%s)", src, check)
		}
		return keys, nil
	}
	if state.Sealed != nil {
		if _, err := keys.Open(state.Sealed); err != nil {
			return nil, fmt.Errorf("%s does not match this database's key: it does not open the encrypted identity numbers "+
				"the database holds (%s)", src, check)
		}
	}
	if record == nil {
		if created {
			env.Log.Warn("created a new identity key file; back it up", "path", env.Cfg.KeyFile)
		}
		return keys, nil
	}
	stored, err := record(ctx, keys.CheckValue())
	if err != nil {
		return nil, err
	}
	if !keys.Matches(stored) { // another process recorded its key first
		if created {
			_ = os.Remove(env.Cfg.KeyFile)
		}
		return nil, fmt.Errorf("%s does not match this database's key (%s)", src, check)
	}
	switch {
	case created:
		env.Log.Warn("created a new identity key file for this database; back it up with the database",
			"path", env.Cfg.KeyFile)
	case state.Sealed != nil:
		env.Log.Info("the key opens this database's encrypted identity numbers; recorded its check value", "key", src)
	default:
		env.Log.Info("recorded the key's check value in this new database", "key", src)
	}
	return keys, nil
}
