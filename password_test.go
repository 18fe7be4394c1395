package strata_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/cli"
	"github.com/strata-go/strata/internal/testdb"
)

// secret is the password the tests hide; its pieces are looked for too,
// so a message showing part of it is caught.
const secret = "Zk9/pw%Pa55-word"

// badEscape is a password written into a URL with a bad %-escape.
const badEscape = "Zk9%zzPa55-word"

// leaks returns the forms of a password found in text.
func leaks(text string) []string {
	var found []string
	for _, s := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret), "Pa55", "%zz", "zzP", "Zk9"} {
		if strings.Contains(text, s) {
			found = append(found, s)
		}
	}
	return found
}

// passwordUser returns a user name that can log in with secret on the
// dialect's test server, and the URL of db with that user and password.
// PostgreSQL's test servers trust 127.0.0.1, so postgres with any password
// logs in; on MySQL a user is made for the test and dropped afterwards.
func passwordUser(t *testing.T, dialect, dbURL string) (user string, withPassword *url.URL) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	user = u.User.Username()
	if dialect == "mysql" {
		adminDB, err := strata.OpenDB(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { adminDB.Close() })
		user = "strata_pw_" + strings.TrimPrefix(testdb.Name(), "strata_test_")
		db := strings.TrimPrefix(u.Path, "/")
		for _, host := range []string{"%", "localhost"} {
			mustExecDB(t, adminDB,
				fmt.Sprintf("CREATE USER '%s'@'%s' IDENTIFIED BY '%s'", user, host, secret),
				fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%s'", db, user, host))
			t.Cleanup(func() { adminDB.Exec(fmt.Sprintf("DROP USER IF EXISTS '%s'@'%s'", user, host)) })
		}
	}
	w := *u
	w.User = url.UserPassword(user, secret)
	return user, &w
}

func mustExecDB(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("exec %s: %v", s, err)
		}
	}
}

// runCLI runs strata's commands with args and returns what they printed,
// standard output and error together, and the error.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	cmd := cli.New()
	cmd.SetArgs(args)
	cmd.SetOut(&buf)
	cmd.SetErr(&buf)
	code := cli.Execute(context.Background(), cmd)
	var err error
	if code != 0 {
		err = fmt.Errorf("exit %d", code)
	}
	return buf.String(), err
}

// TestPasswordNeverShown: whatever goes wrong or right, a password from
// the URL (in user:password@, or ?password=, or written with a bad
// %-escape) shows in no error, no output, no log line: strata.Open's
// errors, the CLI's current/history --verbose/upgrade output with
// --debug logs, and a Migrator's slog records.
func TestPasswordNeverShown(t *testing.T) {
	for _, dialect := range []string{"postgres", "mysql"} {
		t.Run(dialect, func(t *testing.T) {
			testdb.Skip(t, dialect)
			base := testdb.URL(t, dialect)
			user, good := passwordUser(t, dialect, base)
			timeout := "connect_timeout=2"
			if dialect == "mysql" {
				timeout = "timeout=2s"
			}
			with := func(edit func(u *url.URL)) string {
				u := *good
				edit(&u)
				q := u.Query()
				for _, kv := range strings.Split(timeout, "&") {
					k, v, _ := strings.Cut(kv, "=")
					q.Set(k, v)
				}
				u.RawQuery = q.Encode()
				return u.String()
			}
			queryPassword := with(func(u *url.URL) { u.User = url.User(user) })
			queryPassword += "&password=" + url.QueryEscape(secret)
			cases := map[string]string{
				"right password":  with(func(*url.URL) {}),
				"?password= form": queryPassword,
				"wrong password": with(func(u *url.URL) {
					u.User = url.UserPassword(user, secret+"x")
				}),
				"?password= form, wrong port": strings.Replace(queryPassword, "@"+good.Host+"/", "@127.0.0.1:1/", 1),
				"wrong host":                  with(func(u *url.URL) { u.Host = "strata-no-such-host.invalid:" + u.Port() }),
				"wrong port":                  with(func(u *url.URL) { u.Host = "127.0.0.1:1" }),
				"wrong db":                    with(func(u *url.URL) { u.Path = "/strata_no_such_database" }),
				"bad % escape": strings.Replace(with(func(*url.URL) {}),
					url.UserPassword(user, secret).String()+"@", url.User(user).String()+":"+badEscape+"@", 1),
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "20260101000000_create_t.sql"), []byte(
				"-- strata:revision 20260101000000\n-- strata:message create t\n\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\nDROP TABLE t;\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			for name, u := range cases {
				t.Run(name, func(t *testing.T) {
					if !strings.Contains(u, "Pa55") {
						t.Fatalf("test URL %q holds no password", u)
					}
					var logs bytes.Buffer
					logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					m, err := strata.Open(context.Background(), u, strata.WithFS(os.DirFS(dir)), strata.WithLogger(logger))
					if err != nil {
						if l := leaks(err.Error()); l != nil {
							t.Errorf("strata.Open error shows %q: %v", l, err)
						}
					} else {
						if _, err := m.Upgrade(context.Background(), "head"); err != nil {
							t.Errorf("upgrade: %v", err)
						}
						if _, err := m.Status(context.Background()); err != nil {
							t.Errorf("status: %v", err)
						}
						if _, err := m.Downgrade(context.Background(), "base"); err != nil {
							t.Errorf("downgrade: %v", err)
						}
						m.Close()
					}
					if l := leaks(logs.String()); l != nil {
						t.Errorf("logs show %q:\n%s", l, logs.String())
					}
					if name == "right password" || name == "?password= form" {
						if err != nil {
							t.Errorf("%s: cannot connect: %v", name, err)
						}
					}
					for _, args := range [][]string{
						{"upgrade", "--debug"},
						{"current", "--debug"},
						{"history", "--verbose", "--debug"},
						{"downgrade", "base", "--debug"},
					} {
						args = append(args, "--database", u, "--dir", dir)
						out, _ := runCLI(t, args...)
						if l := leaks(out); l != nil {
							t.Errorf("strata %s shows %q:\n%s", args[0], l, out)
						}
					}
				})
			}
		})
	}
}

// TestInitWritesNoPassword: strata init --database URL writes the URL into
// strata.toml with ${DATABASE_PASSWORD} where the password was, says how
// to export it, shows the password nowhere, and reading the file back with
// DATABASE_PASSWORD set gives the URL again.
func TestInitWritesNoPassword(t *testing.T) {
	userinfo := url.UserPassword("app", secret).String()
	for _, raw := range []string{
		"postgres://" + userinfo + "@db.example:5432/app?sslmode=disable",
		"mysql://" + userinfo + "@db.example:3306/app",
		"postgres://app@db.example/app?sslmode=disable&password=" + url.QueryEscape(secret),
		"postgres://" + userinfo + "@db.example/my$db",
	} {
		t.Run(raw, func(t *testing.T) {
			t.Chdir(t.TempDir())
			t.Setenv("DATABASE_URL", "")
			out, err := runCLI(t, "init", "--database", raw)
			if err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}
			if l := leaks(out); l != nil {
				t.Errorf("init output shows %q:\n%s", l, out)
			}
			if !strings.Contains(out, "export DATABASE_PASSWORD=") {
				t.Errorf("init output has no export hint:\n%s", out)
			}
			toml, err := os.ReadFile("strata.toml")
			if err != nil {
				t.Fatal(err)
			}
			if l := leaks(string(toml)); l != nil {
				t.Errorf("strata.toml shows %q:\n%s", l, toml)
			}
			if !strings.Contains(string(toml), "${DATABASE_PASSWORD}") {
				t.Errorf("strata.toml does not name ${DATABASE_PASSWORD}:\n%s", toml)
			}
			t.Setenv("DATABASE_PASSWORD", secret)
			got, err := cli.ResolveDatabase("", "strata.toml")
			if err != nil {
				t.Fatal(err)
			}
			if !samePassword(t, got, raw) {
				t.Errorf("strata.toml reads back as %q, want the URL of %q", strata.Redact(got), strata.Redact(raw))
			}
		})
	}
	t.Run("no password", func(t *testing.T) {
		t.Chdir(t.TempDir())
		out, err := runCLI(t, "init", "--database", "sqlite:app.db")
		if err != nil {
			t.Fatalf("init: %v\n%s", err, out)
		}
		if strings.Contains(out, "DATABASE_PASSWORD") {
			t.Errorf("init speaks of a password the URL does not have:\n%s", out)
		}
	})
}

// samePassword reports whether two URLs name the same place and
// password, however each escapes it.
func samePassword(t *testing.T, a, b string) bool {
	t.Helper()
	pa, pb := mustURL(t, a), mustURL(t, b)
	passA, _ := pa.User.Password()
	passB, _ := pb.User.Password()
	if qa := pa.Query().Get("password"); qa != "" {
		passA = qa
	}
	if qb := pb.Query().Get("password"); qb != "" {
		passB = qb
	}
	return passA == passB && pa.Host == pb.Host && pa.Path == pb.Path && pa.User.Username() == pb.User.Username()
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", strata.Redact(raw), err)
	}
	return u
}

// TestConfigPasswordFromEnvironment: strata.toml names the password (or
// any part of the URL) as ${VAR}; the commands fill it in from the
// environment and connect; an unset variable is an error that names it.
func TestConfigPasswordFromEnvironment(t *testing.T) {
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			testdb.Skip(t, dialect)
			base := testdb.URL(t, dialect)
			var configured string
			switch dialect {
			case "sqlite":
				// No password in SQLite: the path comes from the environment.
				t.Setenv("STRATA_TEST_DB_PATH", strings.TrimPrefix(base, "sqlite:"))
				configured = "sqlite:${STRATA_TEST_DB_PATH}"
			default:
				_, good := passwordUser(t, dialect, base)
				configured = strings.Replace(good.String(), good.User.String()+"@", url.User(good.User.Username()).String()+":${DATABASE_PASSWORD}@", 1)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "20260101000000_create_t.sql"), []byte(
				"-- strata:revision 20260101000000\n-- strata:message create t\n\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\nDROP TABLE t;\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(t.TempDir())
			t.Setenv("DATABASE_URL", "")
			if err := os.WriteFile("strata.toml", []byte(fmt.Sprintf("database = %q\ndir = %q\n", configured, dir)), 0o644); err != nil {
				t.Fatal(err)
			}
			if dialect != "sqlite" {
				t.Setenv("DATABASE_PASSWORD", "")
				os.Unsetenv("DATABASE_PASSWORD")
				out, err := runCLI(t, "current")
				if err == nil || !strings.Contains(out, "DATABASE_PASSWORD is not set") {
					t.Errorf("current without DATABASE_PASSWORD: %v\n%s", err, out)
				}
				t.Setenv("DATABASE_PASSWORD", secret)
			}
			out, err := runCLI(t, "upgrade")
			if err != nil {
				t.Fatalf("upgrade: %v\n%s", err, out)
			}
			out, err = runCLI(t, "current")
			if err != nil || !strings.Contains(out, "20260101000000") {
				t.Errorf("current: %v\n%s", err, out)
			}
			if l := leaks(out); l != nil {
				t.Errorf("current shows %q:\n%s", l, out)
			}
		})
	}
}
