package mysql_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/internal/testdb"
)

func sqlMode(t *testing.T, db *sql.DB) string {
	t.Helper()
	var mode string
	if err := db.QueryRowContext(context.Background(), "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

func withParam(t *testing.T, rawURL, k, v string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestStrictSession: strata's own session has STRICT_ALL_TABLES whatever
// mode it starts from, keeping the other modes, so a narrowing ALTER
// fails instead of cutting values. The non-strict start comes from the
// URL (a sql_mode the user sets) and, on the private servers of
// ./scripts/test (STRATA_TEST_PRIVATE_SERVERS=1), from the server's
// global sql_mode too.
func TestStrictSession(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	base := testdb.URL(t, "mysql")

	narrow := func(t *testing.T, db *sql.DB) {
		t.Helper()
		mustExec(t, db,
			"DROP TABLE IF EXISTS strict_t",
			"CREATE TABLE strict_t (title VARCHAR(500)) ENGINE=MyISAM",
			"INSERT INTO strict_t VALUES ('a much longer title')")
		_, err := db.ExecContext(ctx, "ALTER TABLE strict_t MODIFY title VARCHAR(5)")
		if err == nil {
			var got string
			_ = db.QueryRowContext(ctx, "SELECT title FROM strict_t").Scan(&got)
			t.Fatalf("narrowing ALTER succeeded under sql_mode %q; the value is now %q", sqlMode(t, db), got)
		}
		if !strings.Contains(err.Error(), "1265") && !strings.Contains(err.Error(), "1406") {
			t.Fatalf("narrowing ALTER failed, but not for the value: %v", err)
		}
	}

	t.Run("default", func(t *testing.T) {
		db, err := mysql.Open(base)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		mode := sqlMode(t, db)
		if !strings.Contains(mode, "STRICT_ALL_TABLES") {
			t.Fatalf("sql_mode %q lacks STRICT_ALL_TABLES", mode)
		}
		var global string
		if err := db.QueryRowContext(ctx, "SELECT @@GLOBAL.sql_mode").Scan(&global); err != nil {
			t.Fatal(err)
		}
		for m := range strings.SplitSeq(global, ",") {
			if m != "" && !strings.Contains(","+mode+",", ","+m+",") {
				t.Errorf("session sql_mode %q dropped the server's %s", mode, m)
			}
		}
		narrow(t, db)
	})

	t.Run("url sets a non-strict mode", func(t *testing.T) {
		db, err := mysql.Open(withParam(t, base, "sql_mode", "'ANSI_QUOTES'"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		mode := sqlMode(t, db)
		if mode != "ANSI_QUOTES,STRICT_ALL_TABLES" {
			t.Fatalf("sql_mode = %q, want ANSI_QUOTES,STRICT_ALL_TABLES", mode)
		}
		narrow(t, db)
	})

	t.Run("url sets an empty mode", func(t *testing.T) {
		db, err := mysql.Open(withParam(t, base, "sql_mode", "''"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if mode := sqlMode(t, db); mode != "STRICT_ALL_TABLES" {
			t.Fatalf("sql_mode = %q, want STRICT_ALL_TABLES", mode)
		}
		narrow(t, db)
	})

	t.Run("server global mode is empty", func(t *testing.T) {
		if os.Getenv("STRATA_TEST_PRIVATE_SERVERS") != "1" {
			t.Skip("changes the server's global sql_mode: only on the private servers of ./scripts/test (STRATA_TEST_PRIVATE_SERVERS=1)")
		}
		admin, err := mysql.Open(base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		var global string
		if err := admin.QueryRowContext(ctx, "SELECT @@GLOBAL.sql_mode").Scan(&global); err != nil {
			t.Fatal(err)
		}
		mustExec(t, admin, "SET GLOBAL sql_mode = ''")
		t.Cleanup(func() {
			if _, err := admin.ExecContext(ctx, "SET GLOBAL sql_mode = ?", global); err != nil {
				t.Errorf("restore global sql_mode: %v", err)
			}
		})
		db, err := mysql.Open(base)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if mode := sqlMode(t, db); mode != "STRICT_ALL_TABLES" {
			t.Fatalf("sql_mode = %q, want STRICT_ALL_TABLES", mode)
		}
		narrow(t, db)
	})
}

// recorder is a TCP proxy in front of the server that keeps what the
// client sends, so a test sees the handshake on the wire.
type recorder struct {
	ln   net.Listener
	mu   sync.Mutex
	sent bytes.Buffer
}

func record(t *testing.T, server string) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", server)
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(c, s); c.Close() }()
			go func() {
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						r.mu.Lock()
						r.sent.Write(buf[:n])
						r.mu.Unlock()
						if _, werr := s.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				s.Close()
			}()
		}
	}()
	return r
}

func (r *recorder) contains(b []byte) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Contains(r.sent.Bytes(), b)
}

// TestProgramName: strata's connections carry the connection attribute
// program_name=strata. The server shows it in
// performance_schema.session_connect_attrs when performance_schema is on
// (the private servers of ./scripts/test turn it on); whether or not it
// is, the test reads the attribute in the handshake the client sends,
// through a recording proxy, and checks that the server accepted the
// connection.
func TestProgramName(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	base := testdb.URL(t, "mysql")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	server := u.Host
	if u.Port() == "" {
		server += ":3306"
	}
	rec := record(t, server)
	u.Host = rec.ln.Addr().String()
	db, err := mysql.Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Length-encoded key and value, as the handshake response carries them.
	want := append(append([]byte{byte(len("program_name"))}, "program_name"...), append([]byte{byte(len("strata"))}, "strata"...)...)
	if !rec.contains(want) {
		t.Errorf("the handshake does not carry program_name=strata")
	}

	var on int
	if err := conn.QueryRowContext(ctx, "SELECT @@performance_schema").Scan(&on); err != nil {
		t.Fatal(err)
	}
	if on == 0 {
		t.Log("performance_schema is off: checked the handshake only")
		return
	}
	var name string
	err = conn.QueryRowContext(ctx, `SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs
		WHERE PROCESSLIST_ID = CONNECTION_ID() AND ATTR_NAME = 'program_name'`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		t.Fatal("performance_schema.session_connect_attrs has no program_name for this session")
	}
	if err != nil {
		t.Fatal(err)
	}
	if name != "strata" {
		t.Errorf("program_name = %q, want strata", name)
	}
}
