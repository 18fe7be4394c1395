package dburl_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/dburl"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":                           "postgres://u:xxxxx@h:5432/db",
		"mysql://root:p%40ss@127.0.0.1:3306/x":                    "mysql://root:xxxxx@127.0.0.1:3306/x",
		"mysql://root:p%zzss@127.0.0.1:3306/x":                    "mysql://root:xxxxx@127.0.0.1:3306/x",
		"mysql://root:pa/ss@word@h/x":                             "mysql://root:xxxxx@h/x",
		"mysql://root:pa#ss@h/x":                                  "mysql://root:xxxxx@h/x",
		"sqlite:app.db":                                           "sqlite:app.db",
		"postgres://u@h/db":                                       "postgres://u@h/db",
		"postgres://u@h/db?sslmode=disable&password=hunter2":      "postgres://u@h/db?sslmode=disable&password=xxxxx",
		"postgres://u@h/db?pass%77ord=hunter2&x=1":                "postgres://u@h/db?pass%77ord=xxxxx&x=1",
		"postgres://u@h/db?application_name=a@b&PASSWORD=hunter2": "postgres://u@h/db?application_name=a@b&PASSWORD=xxxxx",
		"postgres://u@h/db?sslpassword=hunter2#frag":              "postgres://u@h/db?sslpassword=xxxxx#frag",
	} {
		if got := dburl.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	u, err := dburl.Parse("mysql://ro%40t:p%40ss@h:3306/my%20db?parseTime=true&password=other")
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "mysql" || u.User != "ro@t" || u.Password != "other" || !u.HasPassword || u.Host != "h:3306" || u.Path != "my db" {
		t.Errorf("Parse = %+v", u)
	}
	if u.Query.Get("parseTime") != "true" || u.Query.Has("password") {
		t.Errorf("Query = %v", u.Query)
	}
	u, err = dburl.Parse("postgres://u:a@b@h/db")
	if err != nil || u.Password != "a@b" || u.Host != "h" {
		t.Errorf("Parse = %+v, %v", u, err)
	}
	u, err = dburl.Parse("sqlite:app.db")
	if err != nil || u.Scheme != "sqlite" || u.Path != "app.db" || u.HasPassword {
		t.Errorf("Parse = %+v, %v", u, err)
	}
}

// TestParseErrorsQuoteNoPassword: a bad %-escape in the password, or in a
// password parameter, is reported without any part of it.
func TestParseErrorsQuoteNoPassword(t *testing.T) {
	for _, raw := range []string{
		"mysql://root:sec%ZZret@h/db",
		"mysql://root:secret%@h/db",
		"postgres://u@h/db?password=sec%ZZret",
		"postgres://u@h/db?passwd=sec%ZZret",
	} {
		_, err := dburl.Parse(raw)
		if err == nil {
			t.Errorf("Parse(%q) succeeded", raw)
			continue
		}
		if !errors.Is(err, dburl.ErrBadEscape) {
			t.Errorf("Parse(%q) = %v, want ErrBadEscape", raw, err)
		}
		for _, part := range []string{"sec", "ret", "%ZZ", "ZZ"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("Parse(%q) error %q shows %q", raw, err, part)
			}
		}
	}
}

func TestScrub(t *testing.T) {
	raw := "postgres://u:p%40ss%2Fword@h/db?sslpassword=s%2Bcret"
	text := fmt.Sprintf("cannot connect to %s: password p@ss/word or p%%40ss%%2Fword or s+cret or s%%2Bcret rejected", raw)
	got := dburl.Scrub(text, raw)
	for _, s := range []string{"p@ss/word", "p%40ss%2Fword", "s+cret", "s%2Bcret"} {
		if strings.Contains(got, s) {
			t.Errorf("Scrub left %q in %q", s, got)
		}
	}
	if !strings.Contains(got, "postgres://u:xxxxx@h/db?sslpassword=xxxxx") {
		t.Errorf("Scrub = %q, want the URL redacted", got)
	}
	inner := errors.New("password hunter2 rejected")
	err := dburl.ScrubError(fmt.Errorf("connect: %w", inner), "mysql://u:hunter2@h/db")
	if strings.Contains(err.Error(), "hunter2") || !errors.Is(err, inner) {
		t.Errorf("ScrubError = %v (reaches inner: %v)", err, errors.Is(err, inner))
	}
}

func TestExpand(t *testing.T) {
	t.Setenv("STRATA_T_PASS", "p@ss/w%rd")
	t.Setenv("STRATA_T_HOST", "db.example:5432")
	t.Setenv("STRATA_T_URL", "postgres://u:x@h/db")
	for in, want := range map[string]string{
		"postgres://app:${STRATA_T_PASS}@${STRATA_T_HOST}/db":      "postgres://app:p%40ss%2Fw%25rd@db.example:5432/db",
		"postgres://app@$STRATA_T_HOST/db?password=$STRATA_T_PASS": "postgres://app@db.example:5432/db?password=p%40ss%2Fw%25rd",
		"${STRATA_T_URL}":                  "postgres://u:x@h/db",
		"sqlite:a$$b.db":                   "sqlite:a$b.db",
		"mysql://root@127.0.0.1:3306/test": "mysql://root@127.0.0.1:3306/test",
	} {
		got, err := dburl.Expand(in)
		if err != nil || got != want {
			t.Errorf("Expand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	u, err := dburl.Parse(mustExpand(t, "postgres://app:${STRATA_T_PASS}@h/db"))
	if err != nil || u.Password != "p@ss/w%rd" {
		t.Errorf("the expanded password reads back as %q, %v", u.Password, err)
	}
	_, err = dburl.Expand("postgres://app:${STRATA_T_NOT_SET_ANYWHERE}@h/db")
	if err == nil || !strings.Contains(err.Error(), "STRATA_T_NOT_SET_ANYWHERE") {
		t.Errorf("Expand of an unset variable = %v, want an error naming it", err)
	}
}

func mustExpand(t *testing.T, s string) string {
	t.Helper()
	e, err := dburl.Expand(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
