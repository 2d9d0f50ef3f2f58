package auth_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		user, pw, rule string // rule "" = accepted
	}{
		{"alice", "abc1234", "min_length"},
		{"alice", "科学笔记", "min_length"},
		{"alice", strings.Repeat("x", 60) + strings.Repeat("y", 69), "max_length"},
		{"alice", "12345678", "common"},
		{"alice", "password", "common"},
		{"alice", "PassWord", "common"},
		{"alice", "qwerty123", "common"},
		{"alice", "11111111", "common"},
		{"alice", "88888888", "common"},
		{"alice", "a1234567", "common"},
		{"alice", "woaini1314", "common"},
		{"alice", "iloveyou", "common"},
		{"alice", "1qaz2wsx", "common"},
		{"xiaoming_li", "xiaoming_li", "username"},
		{"Alice.Wang", "alice.wang2024!", "username"},
		{"alice", "2024alice", "username"},
		{"alice", "zzzzzzzzzzzzzzz", "repeated"},
		{"alice", "2012031518", "digits_only"},
		{"alice", "13912345678", "digits_only"},
		{"alice", "alice in wonderland", ""},
		{"alice", "correct horse battery staple", ""},
		{"alice", "晓明的科学笔记二〇二三", ""},
		{"alice", "938475610293", ""},
		{"alice", "Tr0ub4dor&3x", ""},
	}
	for _, c := range cases {
		err := auth.CheckPassword(c.user, c.pw)
		var pe *auth.PolicyError
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%q refused: %v", c.pw, err)
		case c.rule != "" && (!errors.As(err, &pe) || pe.Rule != c.rule):
			t.Errorf("%q: got %v, want rule %s", c.pw, err, c.rule)
		case c.rule != "" && !strings.Contains(pe.Message, " / "):
			t.Errorf("%q: message %q is not Chinese / English", c.pw, pe.Message)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	t.Parallel()
	if auth.IsCommonPassword("# The most common passwords of 8 characters or more, lower case, one a line: the usual") {
		t.Error("a comment line is taken as a password")
	}
	if !auth.IsCommonPassword("#$%^&*()") {
		t.Error("an entry starting with # is lost")
	}
	if !auth.IsCommonPassword("WOAINI1314") {
		t.Error("comparison is not case-insensitive")
	}
}

func TestHashRoundTrip(t *testing.T) {
	t.Parallel()
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	h1, err := auth.HashPassword("晓明的科学笔记", auth.TestArgon2)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := auth.HashPassword("晓明的科学笔记", auth.TestArgon2)
	if !phc.MatchString(h1) || h1 == h2 {
		t.Fatalf("hashes %q %q: want PHC strings with different salts", h1, h2)
	}
	if ok, err := auth.VerifyPassword("晓明的科学笔记", h1); !ok || err != nil {
		t.Fatalf("the right password does not verify: %v %v", ok, err)
	}
	if ok, _ := auth.VerifyPassword("晓明的科学笔记 ", h1); ok {
		t.Fatal("a wrong password verifies")
	}
	def, err := auth.HashPassword("correct horse", auth.DefaultArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if m := phc.FindStringSubmatch(def); m == nil || m[1] != "19456" || m[2] != "2" || m[3] != "1" {
		t.Fatalf("default hash %q: want m=19456,t=2,p=1", def)
	}
	if ok, _ := auth.VerifyPassword("correct horse", def); !ok {
		t.Fatal("default-parameter hash does not verify")
	}
	if !auth.NeedsRehash(h1, auth.DefaultArgon2) || auth.NeedsRehash(def, auth.DefaultArgon2) {
		t.Fatal("NeedsRehash: weaker hash must need it, a default one must not")
	}
	for _, bad := range []string{"", "plain", "$2a$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"} {
		if _, err := auth.VerifyPassword("x", bad); !errors.Is(err, auth.ErrBadHash) {
			t.Errorf("%q: err %v, want ErrBadHash", bad, err)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	t.Parallel()
	a, b := auth.GeneratePassword(), auth.GeneratePassword()
	if len(a) != 16 || a == b || auth.CheckPassword("someone", a) != nil || strings.ContainsAny(a, "0O1lI") {
		t.Fatalf("generated %q and %q", a, b)
	}
}

func TestSecretsAreDistinctAndHashed(t *testing.T) {
	t.Parallel()
	a, b := auth.NewAPIToken(), auth.NewAPIToken()
	if !strings.HasPrefix(a, "tdb_") || len(a) != 4+43 || a == b {
		t.Fatalf("tokens %q %q", a, b)
	}
	if h := auth.HashSecret(a); len(h) != 32 || string(h) == string(auth.HashSecret(b)) {
		t.Fatal("hash is not a distinct SHA-256")
	}
}
