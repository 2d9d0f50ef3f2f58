package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// User is one account. PasswordHash is the PHC string of the password; it never leaves the
// process (no JSON tag on purpose: callers build their own views).
type User struct {
	ID           int64
	Username     string
	DisplayName  *string
	PasswordHash string
	Role         string
	SchoolID     *int64
	SchoolCode   *string // the code of SchoolID, when read with it
	CityCode     *string
	MentorID     *int64
	FailedLogins int
	LockedUntil  *time.Time
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

// Locked reports whether sign-in is refused at now because of failed attempts.
func (u User) Locked(now time.Time) bool { return u.LockedUntil != nil && u.LockedUntil.After(now) }

// Disabled reports whether the account has been disabled.
func (u User) Disabled() bool { return u.DisabledAt != nil }

// UserInput is a new account. The role's scope is named as people know it (a school's
// code, a city code, a mentor id); the store resolves it and refuses what does not exist.
// Which scope a role needs is the auth package's rule; the database checks it again.
type UserInput struct {
	Username     string
	DisplayName  *string
	PasswordHash string
	Role         string
	SchoolCode   *string
	CityCode     *string
	MentorID     *int64
}

// audit is what the audit log keeps of an account: never the hash, and of the optional
// fields only those set.
func (u User) audit() map[string]any {
	m := map[string]any{"username": u.Username, "role": u.Role}
	putSet(m, "display_name", u.DisplayName)
	putSet(m, "school_code", u.SchoolCode)
	putSet(m, "city_code", u.CityCode)
	putSet(m, "mentor_id", u.MentorID)
	putSet(m, "disabled_at", u.DisabledAt)
	return m
}

// putSet puts *v into m under key when v is not nil.
func putSet[T any](m map[string]any, key string, v *T) {
	if v != nil {
		m[key] = *v
	}
}

func userFromDB(r db.User, schoolCode *string) User {
	return User{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, PasswordHash: r.PasswordHash,
		Role: r.Role, SchoolID: r.SchoolID, SchoolCode: schoolCode, CityCode: r.CityCode, MentorID: r.MentorID,
		FailedLogins: int(r.FailedLogins), LockedUntil: r.LockedUntil, DisabledAt: r.DisabledAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// userFromRow maps the user-with-school-code rows, which sqlc generates once per query
// with identical fields.
func userFromRow(r db.UserGetRow) User {
	u := db.User{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, PasswordHash: r.PasswordHash,
		Role: r.Role, SchoolID: r.SchoolID, CityCode: r.CityCode, MentorID: r.MentorID, FailedLogins: r.FailedLogins,
		LockedUntil: r.LockedUntil, DisabledAt: r.DisabledAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Version: r.Version}
	return userFromDB(u, r.SchoolCode)
}

func userIDString(id int64) string { return strconv.FormatInt(id, 10) }

// UserCreate inserts an account and audits it. An unknown school code, a code that is not a
// school, a city code that is not a city/prefecture and an unknown mentor are FieldErrors;
// a taken username is a *ConstraintError on users_username_key.
func (s *Store) UserCreate(ctx context.Context, a Actor, in UserInput) (User, error) {
	var u User
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		p := db.UserInsertParams{Username: in.Username, DisplayName: in.DisplayName, PasswordHash: in.PasswordHash,
			Role: in.Role, CityCode: in.CityCode, MentorID: in.MentorID}
		if in.SchoolCode != nil {
			org, err := s.q.UserSchoolByCode(ctx, tx, *in.SchoolCode)
			if isNoRows(err) || (err == nil && org.Kind != "school") {
				return &FieldError{Field: "school", Rule: "exists",
					Message: fmt.Sprintf("没有代码为 %s 的学校 / no school has the code %s", *in.SchoolCode, *in.SchoolCode)}
			}
			if err != nil {
				return err
			}
			p.SchoolID = &org.ID
		}
		if in.CityCode != nil {
			lvl, err := s.q.UserRegionLevel(ctx, tx, *in.CityCode)
			if isNoRows(err) || (err == nil && lvl != 2) {
				return &FieldError{Field: "city", Rule: "exists",
					Message: fmt.Sprintf("%s 不是四川省的市州代码 / %s is not the code of a city or prefecture", *in.CityCode, *in.CityCode)}
			}
			if err != nil {
				return err
			}
		}
		if in.MentorID != nil {
			ok, err := s.q.UserMentorExists(ctx, tx, *in.MentorID)
			if err != nil {
				return err
			}
			if !ok {
				return &FieldError{Field: "mentor", Rule: "exists",
					Message: fmt.Sprintf("没有编号为 %d 的导师 / no mentor has the id %d", *in.MentorID, *in.MentorID)}
			}
		}
		id, err := s.q.UserInsert(ctx, tx, p)
		if err != nil {
			return err
		}
		row, err := s.q.UserGet(ctx, tx, id)
		if err != nil {
			return err
		}
		u = userFromRow(row)
		return s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "user", EntityID: userIDString(u.ID),
			SchoolID: u.SchoolID, After: u.audit()})
	})
	if err != nil {
		return User{}, writeErr("create user", "", err)
	}
	return u, nil
}

// UserGet reads an account by id.
func (s *Store) UserGet(ctx context.Context, id int64) (User, error) {
	r, err := s.q.UserGet(ctx, s.accounts().scoped(), id)
	if err != nil {
		return User{}, mapErr("get user", err)
	}
	return userFromRow(r), nil
}

// UserGetByUsername reads an account by its username (exact, case-sensitive).
func (s *Store) UserGetByUsername(ctx context.Context, username string) (User, error) {
	r, err := s.q.UserGetByUsername(ctx, s.accounts().scoped(), username)
	if err != nil {
		return User{}, mapErr("get user", err)
	}
	return userFromRow(db.UserGetRow(r)), nil
}

// UserList returns every account, by username.
func (s *Store) UserList(ctx context.Context) ([]User, error) {
	rows, err := s.q.UserList(ctx, s.accounts().scoped())
	if err != nil {
		return nil, mapErr("list users", err)
	}
	out := make([]User, 0, len(rows))
	for _, r := range rows {
		out = append(out, userFromRow(db.UserGetRow(r)))
	}
	return out, nil
}

// Outcomes of a refused sign-in, as the audit log records them.
const (
	LoginBadPassword = "bad_password" // wrong password, account still open
	LoginLockedOut   = "locked_out"   // wrong password, and this failure locked the account
	LoginLocked      = "locked"       // the account was already locked
	LoginDisabled    = "disabled"     // the account is disabled
	LoginUnknownUser = "unknown_user" // no such account (the name typed is not recorded)
)

// UserLoginFailed counts a wrong password against u and audits it; the failure that reaches
// maxFailures locks the account until lockUntil. It reports whether the account is now locked.
func (s *Store) UserLoginFailed(ctx context.Context, a Actor, userID int64, maxFailures int, lockUntil time.Time) (bool, error) {
	locked := false
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.UserLoginFailed(ctx, tx, db.UserLoginFailedParams{MaxFailures: int32(maxFailures),
			LockUntil: lockUntil, ID: userID})
		if err != nil {
			return err
		}
		outcome := LoginBadPassword
		if r.FailedLogins == 0 { // the count starts again only when this failure locked the account
			locked, outcome = true, LoginLockedOut
		}
		return s.Audit(ctx, tx, a, AuditEntry{Action: "login", Entity: "user", EntityID: userIDString(userID),
			After: map[string]any{"outcome": outcome}})
	})
	if err != nil {
		return false, mapErr("count failed login", err)
	}
	return locked, nil
}

// AuditLoginRefused records a sign-in refused without checking the password further:
// outcome is LoginLocked, LoginDisabled or LoginUnknownUser (userID 0).
func (s *Store) AuditLoginRefused(ctx context.Context, a Actor, userID int64, outcome string) error {
	e := AuditEntry{Action: "login", Entity: "user", After: map[string]any{"outcome": outcome}}
	if userID != 0 {
		e.EntityID = userIDString(userID)
	}
	return s.Audit(ctx, s.accounts().scoped(), a, e)
}

// UserPasswordRehash replaces oldHash by newHash (the same password under stronger
// parameters) unless the password changed meanwhile. It is not audited: nothing a person
// did changed.
func (s *Store) UserPasswordRehash(ctx context.Context, userID int64, oldHash, newHash string) error {
	err := s.q.UserPasswordRehash(ctx, s.accounts().scoped(), db.UserPasswordRehashParams{NewHash: newHash, ID: userID, OldHash: oldHash})
	return mapErr("rehash password", err)
}

// UserSetPassword replaces an account's password, clears a lock, ends every session of the
// account and revokes its API tokens at `at` (someone may have signed in with the old
// password), and audits the change.
func (s *Store) UserSetPassword(ctx context.Context, a Actor, userID int64, hash string, at time.Time) error {
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		n, err := s.q.UserPasswordSet(ctx, tx, db.UserPasswordSetParams{PasswordHash: hash, ID: userID})
		if err != nil {
			return err
		}
		if n == 0 {
			return pgx.ErrNoRows
		}
		// the tokens go with the sessions: one made by whoever knew the old password
		// must not outlive it
		ended, revoked, err := s.endCredentials(ctx, tx, userID, at)
		if err != nil {
			return err
		}
		return s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "user", EntityID: userIDString(userID),
			Fields: []string{"password"}, After: map[string]any{"sessions_ended": ended, "tokens_revoked": revoked}})
	})
	return mapErr("set password", err)
}

// endCredentials ends every session of an account and revokes its API tokens at `at`, in
// tx, and says how many of each it ended.
func (s *Store) endCredentials(ctx context.Context, tx pgx.Tx, userID int64, at time.Time) (ended, revoked int64, err error) {
	if ended, err = s.q.SessionDeleteForUser(ctx, tx, userID); err != nil {
		return 0, 0, err
	}
	revoked, err = s.q.TokenRevokeForUser(ctx, tx, db.TokenRevokeForUserParams{Now: at, UserID: userID})
	return ended, revoked, err
}

// UserDisable disables an account at `at`, deletes its sessions and revokes its tokens, in
// one transaction, and audits it. Disabling a disabled account ends whatever is left and
// reports changed false.
func (s *Store) UserDisable(ctx context.Context, a Actor, userID int64, at time.Time) (changed bool, err error) {
	err = s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		before, err := s.q.UserGet(ctx, tx, userID)
		if err != nil {
			return err
		}
		n, err := s.q.UserDisable(ctx, tx, db.UserDisableParams{At: at, ID: userID})
		if err != nil {
			return err
		}
		changed = n == 1
		ended, revoked, err := s.endCredentials(ctx, tx, userID, at)
		if err != nil {
			return err
		}
		after := userFromRow(before)
		after.DisabledAt = &at
		return s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "user", EntityID: userIDString(userID),
			SchoolID: before.SchoolID, Fields: []string{"disabled_at"}, Before: userFromRow(before).audit(),
			After: map[string]any{"account": after.audit(), "sessions_ended": ended, "tokens_revoked": revoked}})
	})
	if err != nil {
		return false, mapErr("disable user", err)
	}
	return changed, nil
}

// UserEnable re-opens a disabled account (and clears a lock) and audits it. Its revoked
// tokens stay revoked. It reports changed false when the account was not disabled.
func (s *Store) UserEnable(ctx context.Context, a Actor, userID int64) (changed bool, err error) {
	err = s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		before, err := s.q.UserGet(ctx, tx, userID)
		if err != nil {
			return err
		}
		n, err := s.q.UserEnable(ctx, tx, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		changed = true
		after := userFromRow(before)
		after.DisabledAt = nil
		return s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "user", EntityID: userIDString(userID),
			SchoolID: before.SchoolID, Fields: []string{"disabled_at"}, Before: userFromRow(before).audit(),
			After: after.audit()})
	})
	if err != nil {
		return false, mapErr("enable user", err)
	}
	return changed, nil
}
