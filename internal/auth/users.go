package auth

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// usernameRe is the users.username rule of the schema, checked first for a good message.
var usernameRe = regexp.MustCompile(`^[A-Za-z0-9_.@-]{3,64}$`)

// User is an account as the auth door returns it (never its password hash in a view:
// the paths above choose what to show).
type User = store.User

// NewUser is an account to create. Scope: SchoolCode for school_operator, CityCode for
// city_coordinator, MentorID for mentor, nothing for the other roles. An empty Password
// means "generate one".
type NewUser struct {
	Username    string
	DisplayName string
	Role        string
	SchoolCode  string
	CityCode    string
	MentorID    int64
	Password    string
}

// The account methods below are the office's (access.AccountAdmin): another caller is
// access.ErrForbidden. The CLI and the demo seed call them as the office.

// CreateUser creates an account and audits it as c. When u.Password is empty a random one
// is generated and returned (show it once; it is stored hashed only); otherwise it must
// pass the policy and "" is returned. Invalid input is an *access.FieldError (field
// username, role, school, city, mentor) or a *PolicyError; a taken username is
// access.ErrConflict. This is also what the demo seed calls to make one account per role.
func (s *Service) CreateUser(ctx context.Context, c access.Caller, u NewUser) (User, string, error) {
	if err := access.Authorize(c, access.AccountAdmin); err != nil {
		return User{}, "", err
	}
	u.Username = strings.TrimSpace(u.Username)
	if !usernameRe.MatchString(u.Username) {
		return User{}, "", &store.FieldError{Field: "username", Rule: "format",
			Message: "用户名须为 3 到 64 个字母、数字或 _ . @ - / The username must be 3 to 64 letters, digits or _ . @ -"}
	}
	in := store.UserInput{Username: u.Username, Role: u.Role}
	if err := scopeOf(u, &in); err != nil {
		return User{}, "", err
	}
	if d := strings.TrimSpace(u.DisplayName); d != "" {
		in.DisplayName = &d
	}
	generated := ""
	if u.Password == "" {
		generated = GeneratePassword()
		u.Password = generated
	} else if err := CheckPassword(u.Username, u.Password); err != nil {
		return User{}, "", err
	}
	h, err := s.hashNew(ctx, u.Password)
	if err != nil {
		return User{}, "", err
	}
	in.PasswordHash = h
	created, err := s.st.UserCreate(ctx, store.ActorFor(c), in)
	if err != nil {
		return User{}, "", err
	}
	return created, generated, nil
}

// scopeOf checks that the role exists and has exactly the scope it needs.
func scopeOf(u NewUser, in *store.UserInput) error {
	if !ValidRole(u.Role) {
		return &store.FieldError{Field: "role", Rule: "enum", Message: fmt.Sprintf(
			"角色须为 %s 之一 / The role must be one of %s", strings.Join(Roles, ", "), strings.Join(Roles, ", "))}
	}
	need := map[string]string{RoleSchoolOperator: "school", RoleCityCoordinator: "city", RoleMentor: "mentor"}[u.Role]
	given := map[string]bool{"school": u.SchoolCode != "", "city": u.CityCode != "", "mentor": u.MentorID != 0}
	for _, f := range []string{"school", "city", "mentor"} {
		switch {
		case f == need && !given[f]:
			return &store.FieldError{Field: f, Rule: "required", Message: fmt.Sprintf(
				"角色 %s 必须指定 %s / The role %s needs a %s", u.Role, f, u.Role, f)}
		case f != need && given[f]:
			return &store.FieldError{Field: f, Rule: "not_allowed", Message: fmt.Sprintf(
				"角色 %s 不能指定 %s / The role %s has no %s scope", u.Role, f, u.Role, f)}
		}
	}
	if u.SchoolCode != "" {
		c := strings.TrimSpace(u.SchoolCode)
		in.SchoolCode = &c
	}
	if u.CityCode != "" {
		c := strings.TrimSpace(u.CityCode)
		in.CityCode = &c
	}
	if u.MentorID != 0 {
		m := u.MentorID
		in.MentorID = &m
	}
	return nil
}

// hashNew hashes a new password with the configured parameters, in a hashing slot.
func (s *Service) hashNew(ctx context.Context, pw string) (string, error) {
	var h string
	var herr error
	if err := s.hash(ctx, func() { h, herr = HashPassword(pw, s.cfg.Argon2) }); err != nil {
		return "", err
	}
	return h, herr
}

// ResetPassword sets a new password for username (generated and returned when password is
// empty), clears a lock, ends the account's sessions, revokes its API tokens and audits it
// as c.
func (s *Service) ResetPassword(ctx context.Context, c access.Caller, username, password string) (string, error) {
	if err := access.Authorize(c, access.AccountAdmin); err != nil {
		return "", err
	}
	u, err := s.st.UserGetByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	generated := ""
	if password == "" {
		generated = GeneratePassword()
		password = generated
	} else if err := CheckPassword(u.Username, password); err != nil {
		return "", err
	}
	h, err := s.hashNew(ctx, password)
	if err != nil {
		return "", err
	}
	if err := s.st.UserSetPassword(ctx, store.ActorFor(c), u.ID, h, s.Now()); err != nil {
		return "", err
	}
	s.forgetUser(u.ID)
	return generated, nil
}

// DisableUser disables username, ends its sessions and revokes its tokens (audited as c).
// changed is false when it was disabled already.
func (s *Service) DisableUser(ctx context.Context, c access.Caller, username string) (changed bool, err error) {
	if err := access.Authorize(c, access.AccountAdmin); err != nil {
		return false, err
	}
	u, err := s.st.UserGetByUsername(ctx, username)
	if err != nil {
		return false, err
	}
	changed, err = s.st.UserDisable(ctx, store.ActorFor(c), u.ID, s.Now())
	if err == nil {
		s.forgetUser(u.ID)
	}
	return changed, err
}

// EnableUser re-opens a disabled account (its revoked tokens stay revoked).
func (s *Service) EnableUser(ctx context.Context, c access.Caller, username string) (changed bool, err error) {
	if err := access.Authorize(c, access.AccountAdmin); err != nil {
		return false, err
	}
	u, err := s.st.UserGetByUsername(ctx, username)
	if err != nil {
		return false, err
	}
	return s.st.UserEnable(ctx, store.ActorFor(c), u.ID)
}

// ListUsers returns every account by username.
func (s *Service) ListUsers(ctx context.Context, c access.Caller) ([]User, error) {
	if err := access.Authorize(c, access.AccountAdmin); err != nil {
		return nil, err
	}
	return s.st.UserList(ctx)
}

// Account returns the account p signed in as.
func (s *Service) Account(ctx context.Context, p Principal) (User, error) {
	return s.st.UserGet(ctx, p.UserID)
}
