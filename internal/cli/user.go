package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// userFlags are the flags each `user` subcommand accepts (besides the common ones).
var userFlags = map[string][]string{
	"add":            {"role", "school", "city", "mentor", "display-name", "generate-password"},
	"list":           {"format"},
	"disable":        {},
	"enable":         {},
	"reset-password": {"generate-password"},
}

// runUser is `talentdb user add|list|disable|enable|reset-password`: account management
// on the server, where the first office administrator must be created (there is no
// default account). Passwords come piped on standard input, one line, or are generated
// with --generate-password and printed once; never as an argument, which would stay in
// shell history and the process list. Every change is audited as cli:<os user>.
func runUser(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	role := fs.String("role", "", "role: "+strings.Join(auth.Roles, ", "))
	school := fs.String("school", "", "school code (school_operator)")
	city := fs.String("city", "", "city/prefecture code, e.g. 510100 (city_coordinator)")
	mentor := fs.Int64("mentor", 0, "mentor id (mentor)")
	display := fs.String("display-name", "", "the person's name as shown")
	generate := fs.Bool("generate-password", false, "generate a random password and print it once")
	format := fs.String("format", "table", "list format: table or json (one object a line)")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: want a subcommand", ErrUsage)
	}
	sub := pos[0]
	allowed, ok := userFlags[sub]
	if !ok {
		return fmt.Errorf("%w: unknown subcommand %q", ErrUsage, sub)
	}
	var stray error
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "database-url" && f.Name != "key-file" && !slices.Contains(allowed, f.Name) && stray == nil {
			stray = fmt.Errorf("%w: user %s does not take --%s", ErrUsage, sub, f.Name)
		}
	})
	if stray != nil {
		return stray
	}
	want := 2
	if sub == "list" {
		want = 1
	}
	if len(pos) != want {
		return fmt.Errorf("%w: user %s takes %d argument(s)", ErrUsage, sub, want-1)
	}
	if sub == "add" && *role == "" {
		return fmt.Errorf("%w: user add needs --role", ErrUsage)
	}
	if sub == "list" && *format != "table" && *format != "json" {
		return fmt.Errorf("%w: --format must be table or json", ErrUsage)
	}
	// read the password before connecting, so a missing one costs nothing
	password := ""
	if (sub == "add" || sub == "reset-password") && !*generate {
		if password, err = readPassword(env.Stdin); err != nil {
			return err
		}
	}

	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := auth.New(st, auth.Config{})
	actor := access.Caller{Username: cliActor(), Role: access.RoleOfficeAdmin, Via: access.ViaCLI}
	out := json.NewEncoder(env.Stdout)
	out.SetEscapeHTML(false)

	switch sub {
	case "add":
		u, generated, err := svc.CreateUser(ctx, actor, auth.NewUser{Username: pos[1], DisplayName: *display, Role: *role,
			SchoolCode: *school, CityCode: *city, MentorID: *mentor, Password: password})
		if err != nil {
			return userErr(pos[1], err)
		}
		line := userLine(u, time.Now())
		if generated != "" {
			line["password"] = generated // shown this once; only its hash is stored
		}
		return out.Encode(line)
	case "list":
		users, err := svc.ListUsers(ctx, actor)
		if err != nil {
			return err
		}
		if *format == "json" {
			for _, u := range users {
				if err := out.Encode(userLine(u, time.Now())); err != nil {
					return err
				}
			}
			return nil
		}
		return userTable(env.Stdout, users)
	case "disable", "enable":
		f := svc.DisableUser
		if sub == "enable" {
			f = svc.EnableUser
		}
		changed, err := f(ctx, actor, pos[1])
		if err != nil {
			return userErr(pos[1], err)
		}
		return out.Encode(map[string]any{"username": pos[1], "disabled": sub == "disable", "changed": changed})
	default: // reset-password
		generated, err := svc.ResetPassword(ctx, actor, pos[1], password)
		if err != nil {
			return userErr(pos[1], err)
		}
		line := map[string]any{"username": pos[1], "password_reset": true, "sessions_ended": true}
		if generated != "" {
			line["password"] = generated
		}
		return out.Encode(line)
	}
}

// maxPasswordLine bounds what is read from standard input for a password.
const maxPasswordLine = 4096

// readPassword reads one line from in (standard input when nil). A terminal is refused:
// the password would be echoed on screen.
func readPassword(in io.Reader) (string, error) {
	if in == nil {
		in = os.Stdin
	}
	if f, ok := in.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return "", fmt.Errorf("%w: pipe the password on standard input (printf '%%s\\n' \"$PW\" | talentdb user …) or use --generate-password", ErrUsage)
		}
	}
	line, err := bufio.NewReader(io.LimitReader(in, maxPasswordLine)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("密码为空：请从标准输入提供一行密码，或使用 --generate-password / no password on standard input; pipe one line or use --generate-password")
	}
	return line, nil
}

// cliActor names the operator in the audit log: cli:<os user>.
func cliActor() string {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = os.Getenv("USER")
	}
	if name == "" {
		name = "unknown"
	}
	return "cli:" + name
}

// userErr words the failures an operator can fix.
func userErr(username string, err error) error {
	var fe *store.FieldError
	var pe *auth.PolicyError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("没有用户 %s / no user named %s", username, username)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("用户名 %s 已被使用 / the username %s is taken", username, username)
	case errors.As(err, &fe):
		return fmt.Errorf("--%s: %s", fe.Field, fe.Message)
	case errors.As(err, &pe):
		return fmt.Errorf("password: %s", pe.Message)
	}
	return err
}

// userState is active, disabled or locked.
func userState(u store.User, now time.Time) string {
	switch {
	case u.Disabled():
		return "disabled"
	case u.Locked(now):
		return "locked"
	}
	return "active"
}

// userLine is an account as the CLI prints it: never the hash.
func userLine(u store.User, now time.Time) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "role": u.Role,
		"school_code": u.SchoolCode, "city_code": u.CityCode, "mentor_id": u.MentorID, "state": userState(u, now),
		"failed_logins": u.FailedLogins, "locked_until": u.LockedUntil, "disabled_at": u.DisabledAt,
		"created_at": u.CreatedAt.UTC().Format(time.RFC3339)}
}

func userTable(w io.Writer, users []store.User) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tSCOPE\tNAME\tSTATE\tCREATED")
	now := time.Now()
	for _, u := range users {
		scope := "-"
		switch {
		case u.SchoolCode != nil:
			scope = "school " + *u.SchoolCode
		case u.CityCode != nil:
			scope = "city " + *u.CityCode
		case u.MentorID != nil:
			scope = fmt.Sprintf("mentor %d", *u.MentorID)
		}
		name := "-"
		if u.DisplayName != nil {
			name = *u.DisplayName
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, scope, name, userState(u, now),
			u.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}
