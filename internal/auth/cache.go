package auth

import (
	"errors"
	"sync"
	"time"

	"talentdb/internal/store"
)

// credCache remembers for a few seconds what the hash of a token or session secret
// resolved to — the credential's row and its account — so that a burst of requests with
// one credential costs one database round trip for its authentication, not one each. The
// checks (revoked, expired, idle, disabled, locked) run on a cached answer exactly as on
// a fresh one, against the clock of the request.
//
// What the auth door changes is honoured at once on this node: revoking a token, signing
// out, disabling an account, resetting its password or locking it drops the entries
// concerned before the method returns. Another node of the service notices within the
// TTL. A generation counter keeps a lookup that raced an invalidation from putting back
// what was just dropped.
type credCache[C any] struct {
	ttl time.Duration
	max int

	mu  sync.Mutex
	gen uint64
	m   map[string]credEntry[C]
}

type credEntry[C any] struct {
	id     int64 // the token's or session's id
	cred   C
	user   User
	expiry time.Time
}

// newCredCache returns a cache keeping entries for ttl, at most max of them; a ttl ≤ 0
// caches nothing.
func newCredCache[C any](ttl time.Duration, max int) *credCache[C] {
	return &credCache[C]{ttl: ttl, max: max, m: make(map[string]credEntry[C])}
}

// get returns the entry of key that is still fresh at now, and the generation to hand
// to put when there is none.
func (c *credCache[C]) get(key []byte, now time.Time) (C, User, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(key)]
	if ok && now.Before(e.expiry) {
		return e.cred, e.user, c.gen, true
	}
	var zero C
	return zero, User{}, c.gen, false
}

// lookup returns key's credential and account from memory when fresh (cached true), else
// from load, with the generation to hand to put; a credential load does not find is
// ErrUnauthenticated.
func (c *credCache[C]) lookup(key []byte, now time.Time, load func() (C, User, error)) (C, User, uint64, bool, error) {
	cred, u, gen, cached := c.get(key, now)
	if cached {
		return cred, u, gen, true, nil
	}
	cred, u, err := load()
	if errors.Is(err, store.ErrNotFound) {
		err = ErrUnauthenticated
	}
	return cred, u, gen, false, err
}

// put remembers key's credential id and account from now on, unless something was
// invalidated since gen was read. The account is kept without its password hash.
func (c *credCache[C]) put(key []byte, gen uint64, id int64, cred C, u User, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	u.PasswordHash = ""
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= c.max {
		c.evict(now)
	}
	c.m[string(key)] = credEntry[C]{id: id, cred: cred, user: u, expiry: now.Add(c.ttl)}
}

// evict drops the stale entries and, if the cache is still full, an arbitrary one.
func (c *credCache[C]) evict(now time.Time) {
	for k, e := range c.m {
		if !now.Before(e.expiry) {
			delete(c.m, k)
		}
	}
	for k := range c.m {
		if len(c.m) < c.max {
			return
		}
		delete(c.m, k)
	}
}

// drop forgets key.
func (c *credCache[C]) drop(key []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, string(key))
}

// dropCred forgets the credential id.
func (c *credCache[C]) dropCred(id int64) {
	c.dropWhere(func(_ string, e credEntry[C]) bool { return e.id == id })
}

// dropUser forgets every credential of the account userID.
func (c *credCache[C]) dropUser(userID int64) {
	c.dropWhere(func(_ string, e credEntry[C]) bool { return e.user.ID == userID })
}

func (c *credCache[C]) dropWhere(match func(string, credEntry[C]) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if match(k, e) {
			delete(c.m, k)
		}
	}
}
