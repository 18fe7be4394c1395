package strata_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// oracleSchema is the schema of the application's tables as the
// database's own tools print it: pg_dump --schema-only, SHOW CREATE TABLE,
// sqlite_schema's SQL text. strata's version tables are left out.
func oracleSchema(t *testing.T, dialect, rawURL string, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	switch dialect {
	case "postgres":
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"--schema-only", "--no-owner", "--no-privileges", "--exclude-table=strata_*",
			"-h", u.Hostname(), "-U", u.User.Username(), "-d", strings.TrimPrefix(u.Path, "/")}
		if p := u.Port(); p != "" {
			args = append(args, "-p", p)
		}
		cmd := exec.CommandContext(ctx, "pg_dump", args...)
		if pw, ok := u.User.Password(); ok {
			cmd.Env = append(cmd.Environ(), "PGPASSWORD="+pw)
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		// pg_dump 15.x+ writes a random \restrict key.
		return regexp.MustCompile(`(?m)^\\(un)?restrict .*$`).ReplaceAllString(string(out), "")
	case "mysql":
		rows, err := db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'strata\\_%' ORDER BY TABLE_NAME")
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, n)
		}
		rows.Close()
		var b strings.Builder
		for _, tbl := range tables {
			var name, create string
			if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE `"+tbl+"`").Scan(&name, &create); err != nil {
				t.Fatal(err)
			}
			b.WriteString(regexp.MustCompile(` AUTO_INCREMENT=[0-9]+`).ReplaceAllString(create, "") + ";\n")
		}
		return b.String()
	}
	rows, err := db.QueryContext(ctx, "SELECT type, name, COALESCE(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'strata_%' AND tbl_name NOT LIKE 'strata_%' ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		b.WriteString(typ + " " + name + ": " + text + "\n")
	}
	return b.String()
}

// freshOracle applies the schema file's statements to a new database and
// returns its oracleSchema.
func freshOracle(t *testing.T, dialect, text string) string {
	t.Helper()
	var (
		db  *sql.DB
		u   string
		err error
	)
	if dialect == "sqlite" {
		u = "sqlite:" + filepath.Join(t.TempDir(), "fresh.db")
		db, err = strata.OpenDB(u)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
	} else {
		db, u = testdb.Open(t, dialect)
	}
	for _, stmt := range strings.Split(text, ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.ExecContext(context.Background(), stmt); err != nil {
			t.Fatalf("fresh %s: %v\n%s", dialect, err, stmt)
		}
	}
	return oracleSchema(t, dialect, u, db)
}

// sqliteNames lists the names of constraints and indexes a sqlite_schema
// text holds (CONSTRAINT "x" or CONSTRAINT x, CREATE INDEX "x"), which is
// what a rename changes; SQLite's text otherwise keeps strata's spelling
// of the table rather than the file's.
func sqliteNames(text string) string {
	// The name of a UNIQUE constraint is left out: SQLite keeps it in the
	// text only, and strata does not read it.
	re := regexp.MustCompile(`(?i)(?:CONSTRAINT\s+"?([A-Za-z_][A-Za-z0-9_]*)"?\s+(?:CHECK|FOREIGN)|(?:INDEX|TABLE)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?)`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1]+m[2])
	}
	return strings.Join(out, " ")
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func openFileMigrator(t *testing.T, dialect string) (m *strata.Migrator, url, dir, file string, db *sql.DB) {
	t.Helper()
	if dialect == "sqlite" {
		url = "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	} else {
		url = testdb.URL(t, dialect)
	}
	dir = t.TempDir()
	file = filepath.Join(t.TempDir(), "schema.sql")
	m, err := strata.Open(context.Background(), url, strata.WithDir(dir), strata.WithSchemaFile(file))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	db, err = strata.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return m, url, dir, file, db
}

func opStrings(p *strata.Plan) []string {
	var out []string
	for _, o := range p.Ops {
		out = append(out, o.String())
	}
	return out
}

// unquoteSQLite removes the double quotes around plain names in a
// sqlite_schema text: SQLite quotes a table's name when it renames the
// table (as a rebuild does), and not when it is created.
func unquoteSQLite(text string) string {
	return regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"`).ReplaceAllString(text, "$1")
}
