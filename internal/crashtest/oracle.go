package crashtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/internal/testdb"
)

// versionTable is strata's version table; every table whose name starts
// with "strata_" is strata's own and left out of the comparisons.
const versionTable = "strata_revisions"

// A database is one database the program creates, reads with tools
// strata did not write, and drops.
type database struct {
	dialect string
	url     string
	db      *sql.DB
	drop    func() error
	reads   int
}

// newDatabase creates a fresh database of the dialect (a file in dir for
// SQLite) and opens it.
func newDatabase(dialect, dir, name string) (*database, error) {
	d := &database{dialect: dialect}
	switch dialect {
	case "sqlite":
		d.url = "sqlite:" + filepath.Join(dir, name+".db")
		d.drop = func() error { return nil }
	case "postgres", "mysql":
		u, drop, err := testdb.Create(dialect)
		if err != nil {
			return nil, fmt.Errorf("crashtest: %w", err)
		}
		d.url, d.drop = u, drop
	default:
		return nil, fmt.Errorf("crashtest: unknown dialect %q", dialect)
	}
	var err error
	switch dialect {
	case "sqlite":
		d.db, err = sqlite.Open(d.url)
	case "postgres":
		d.db, err = postgres.Open(d.url)
	case "mysql":
		d.db, err = mysql.Open(d.url)
	}
	if err != nil {
		d.drop()
		return nil, fmt.Errorf("crashtest: open %s: %w", dialect, err)
	}
	d.db.SetMaxOpenConns(1)
	return d, nil
}

func (d *database) close() error {
	return errors.Join(d.db.Close(), d.drop())
}

// A snapshot is what the oracle sees: the schema of the user's tables as
// the database itself prints it, and their rows.
type snapshot struct {
	Schema string
	Data   string
}

func (s snapshot) equal(o snapshot) bool { return s.Schema == o.Schema && s.Data == o.Data }

// diff describes the first difference between s (got) and want.
func (s snapshot) diff(want snapshot) string {
	if s.Schema != want.Schema {
		return "schema: " + firstDiff(s.Schema, want.Schema)
	}
	if s.Data != want.Data {
		return "data: " + firstDiff(s.Data, want.Data)
	}
	return ""
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return "equal"
}

// tables lists the database's tables, strata's own included, sorted.
func (d *database) tables(ctx context.Context) ([]string, error) {
	var q string
	switch d.dialect {
	case "sqlite":
		q = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	case "postgres":
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	case "mysql":
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
	}
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("crashtest: list tables: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("crashtest: list tables: %w", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crashtest: list tables: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

func userTables(all []string) []string {
	var names []string
	for _, n := range all {
		if !strings.HasPrefix(n, "strata_") {
			names = append(names, n)
		}
	}
	return names
}

var (
	// pg_dump 15.14 and later fence the dump with a random key.
	pgRestrict = regexp.MustCompile(`(?m)^\\(un)?restrict .*$`)
	// InnoDB's next AUTO_INCREMENT value depends on history, not schema.
	myAutoInc = regexp.MustCompile(` AUTO_INCREMENT=\d+`)
	// SQLite's ALTER TABLE RENAME rewrites the stored SQL with the names
	// it changes double-quoted, so the same table reads "t" after a
	// rename and back, t before: simple quoted names are unquoted.
	liteQuoted = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"`)
)

// snapshot reads the user's tables through the oracle: pg_dump
// --schema-only, SHOW CREATE TABLE, sqlite_schema's SQL text; and their
// rows, sorted.
func (d *database) snapshot(ctx context.Context) (snapshot, error) {
	all, err := d.tables(ctx)
	if err != nil {
		return snapshot{}, err
	}
	tables := userTables(all)
	var schema strings.Builder
	switch d.dialect {
	case "sqlite":
		rows, err := d.db.QueryContext(ctx, "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'strata_%' AND tbl_name NOT LIKE 'strata_%' ORDER BY type, name")
		if err != nil {
			return snapshot{}, fmt.Errorf("crashtest: read sqlite_schema: %w", err)
		}
		for rows.Next() {
			var typ, name, tbl, text string
			if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
				rows.Close()
				return snapshot{}, fmt.Errorf("crashtest: read sqlite_schema: %w", err)
			}
			fmt.Fprintf(&schema, "%s %s on %s: %s\n", typ, name, tbl, liteQuoted.ReplaceAllString(text, "$1"))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return snapshot{}, fmt.Errorf("crashtest: read sqlite_schema: %w", err)
		}
	case "postgres":
		out, err := pgDump(ctx, d.url)
		if err != nil {
			return snapshot{}, err
		}
		schema.WriteString(out)
	case "mysql":
		for _, t := range tables {
			var name, text string
			if err := d.db.QueryRowContext(ctx, "SHOW CREATE TABLE `"+t+"`").Scan(&name, &text); err != nil {
				return snapshot{}, fmt.Errorf("crashtest: show create table %s: %w", t, err)
			}
			schema.WriteString(myAutoInc.ReplaceAllString(text, "") + ";\n")
		}
	}
	var data strings.Builder
	for _, t := range tables {
		lines, err := d.rows(ctx, t)
		if err != nil {
			return snapshot{}, err
		}
		fmt.Fprintf(&data, "%s: %d row(s)\n", t, len(lines))
		for _, l := range lines {
			data.WriteString("  " + l + "\n")
		}
	}
	return snapshot{Schema: schema.String(), Data: data.String()}, nil
}

// pgDump runs pg_dump --schema-only on the database of rawURL, leaving out
// strata's tables.
func pgDump(ctx context.Context, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("crashtest: %w", err)
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
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("crashtest: pg_dump: %w: %s", err, stderr.String())
	}
	return pgRestrict.ReplaceAllString(string(out), ""), nil
}

// rows returns every row of table, each as one line, sorted.
func (d *database) rows(ctx context.Context, table string) ([]string, error) {
	q := `SELECT * FROM "` + table + `"`
	switch d.dialect {
	case "mysql":
		q = "SELECT * FROM `" + table + "`"
	case "postgres":
		// pgx caches a plan per text; the table's columns change between
		// reads, so each read is a new text.
		d.reads++
		q += fmt.Sprintf(" /* %d */", d.reads)
	}
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("crashtest: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("crashtest: read %s: %w", table, err)
	}
	var lines []string
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("crashtest: read %s: %w", table, err)
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			if v.Valid {
				parts[i] = cols[i] + "=" + v.String
			} else {
				parts[i] = cols[i] + "=NULL"
			}
		}
		lines = append(lines, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crashtest: read %s: %w", table, err)
	}
	slices.Sort(lines)
	return lines, nil
}

// count returns how many rows of table hold value in column, per value.
func (d *database) counts(ctx context.Context, table, column string) (map[string]int, error) {
	all, err := d.tables(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(all, table) {
		return map[string]int{}, nil
	}
	rows, err := d.db.QueryContext(ctx, fmt.Sprintf("SELECT %s, COUNT(*) FROM %s GROUP BY %s", column, table, column))
	if err != nil {
		return nil, fmt.Errorf("crashtest: count %s: %w", table, err)
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, fmt.Errorf("crashtest: count %s: %w", table, err)
		}
		m[v] = n
	}
	return m, rows.Err()
}

// A progressRow is strata's record of a revision left half-done (the
// statements of a revision outside a transaction, or any revision on
// MySQL).
type progressRow struct {
	Revision  string
	Direction string
	Done      int
	// InFlight: strata recorded that statement Done+1 was about to run
	// (its intent), so it may have run; a resume decides from the catalog.
	InFlight bool
}

// progress reads the progress table by column name, as its columns grow
// with strata's versions (intent, when present, marks a statement in
// flight).
func (d *database) progress(ctx context.Context) ([]progressRow, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+versionTable+"_progress")
	if err != nil {
		return nil, fmt.Errorf("crashtest: read progress table: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("crashtest: read progress table: %w", err)
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []progressRow
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("crashtest: read progress table: %w", err)
		}
		var p progressRow
		intent := -1
		for i, c := range cols {
			switch strings.ToLower(c) {
			case "revision":
				p.Revision = vals[i].String
			case "direction":
				p.Direction = vals[i].String
			case "done":
				if _, err := fmt.Sscan(vals[i].String, &p.Done); err != nil {
					return nil, fmt.Errorf("crashtest: progress done %q: %w", vals[i].String, err)
				}
			case "intent":
				if vals[i].Valid {
					fmt.Sscan(vals[i].String, &intent)
				}
			}
		}
		p.InFlight = intent == p.Done
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crashtest: read progress table: %w", err)
	}
	return out, nil
}

// versions reads the version table (empty when it does not exist yet) and
// the progress table.
func (d *database) versions(ctx context.Context) ([]string, []progressRow, error) {
	all, err := d.tables(ctx)
	if err != nil {
		return nil, nil, err
	}
	var applied []string
	if slices.Contains(all, versionTable) {
		rows, err := d.db.QueryContext(ctx, "SELECT revision FROM "+versionTable)
		if err != nil {
			return nil, nil, fmt.Errorf("crashtest: read version table: %w", err)
		}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("crashtest: read version table: %w", err)
			}
			applied = append(applied, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("crashtest: read version table: %w", err)
		}
	}
	var progress []progressRow
	if slices.Contains(all, versionTable+"_progress") {
		if progress, err = d.progress(ctx); err != nil {
			return nil, nil, err
		}
	}
	return applied, progress, nil
}

// waitIdle waits until no other session works on the database: a client
// killed mid-statement leaves its server session running until the server
// notices, and the state is only settled once it has ended.
func (d *database) waitIdle(ctx context.Context) error {
	var q string
	switch d.dialect {
	case "postgres":
		q = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
	case "mysql":
		q = "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()"
	default:
		return nil
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		if err := d.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return fmt.Errorf("crashtest: wait for idle: %w", err)
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("crashtest: %d other session(s) still on the database after 60s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exec runs statements directly, without strata.
func (d *database) exec(ctx context.Context, stmts ...string) error {
	for _, s := range stmts {
		if _, err := d.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("crashtest: %s: %w", s, err)
		}
	}
	return nil
}

// invalidIndexes fails when PostgreSQL holds an index left invalid by an
// interrupted CREATE INDEX CONCURRENTLY: pg_dump leaves such indexes out,
// yet the name is taken.
func (d *database) invalidIndexes(ctx context.Context) error {
	if d.dialect != "postgres" {
		return nil
	}
	var names sql.NullString
	err := d.db.QueryRowContext(ctx, `SELECT string_agg(c.relname, ', ') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT i.indisvalid`).Scan(&names)
	if err != nil {
		return fmt.Errorf("crashtest: read invalid indexes: %w", err)
	}
	if names.Valid {
		return fmt.Errorf("invalid index(es) left: %s", names.String)
	}
	return nil
}
