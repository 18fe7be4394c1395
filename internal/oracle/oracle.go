// Package oracle reads a database's schema as the database's own tools
// show it, for the conformance and replay harnesses to judge strata with
// something strata does not write:
//
//   - PostgreSQL: the output of pg_dump --schema-only --no-owner
//     --no-privileges, one entry per object of pg_dump's table of
//     contents, in pg_dump's order;
//   - MySQL and MariaDB: SHOW CREATE TABLE of every table, SHOW CREATE
//     VIEW and SHOW CREATE SEQUENCE, SHOW CREATE TRIGGER (the statement as
//     the server kept it, with the trigger's table and action order from
//     information_schema.TRIGGERS), SHOW CREATE EVENT, SHOW CREATE
//     FUNCTION and SHOW CREATE PROCEDURE;
//   - SQLite: the sql column of sqlite_schema for every object that has
//     one.
//
// What is taken out of that text, and why, is listed in Normalisations
// (docs/conformance.md prints the list): nothing a user would see as a
// difference between two schemas.
package oracle

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/dburl"
)

// Object is one object of a dump: Key names it ("TABLE public.users",
// "VIEW v"), Text is what the database's tool printed for it.
type Object struct {
	Key  string
	Text string
}

// Dump is a database's schema as its own tool shows it.
type Dump struct {
	Dialect string
	Objects []Object
}

// String is the whole dump, one object after another.
func (d *Dump) String() string {
	var b strings.Builder
	for _, o := range d.Objects {
		fmt.Fprintf(&b, "-- %s\n%s\n\n", o.Key, o.Text)
	}
	return b.String()
}

// Level is how strictly two dumps' texts are compared. Only SQLite's
// text is compared at more than one level: PostgreSQL's and MySQL's
// tools print a canonical form of their own, SQLite keeps the text the
// statement was written in.
type Level int

// The levels, strictest first.
const (
	// Strict compares the text byte for byte (after Normalisations).
	Strict Level = iota
	// Whitespace also treats any run of whitespace and comments as one
	// space and ignores whitespace next to ( ) and ,.
	Whitespace
	// Quoting also takes the quotes off identifiers that need none
	// ("users", `users`, [users] read as users).
	Quoting
)

// Levels lists the levels, strictest first.
var Levels = []Level{Strict, Whitespace, Quoting}

func (l Level) String() string {
	switch l {
	case Strict:
		return "strict"
	case Whitespace:
		return "whitespace"
	case Quoting:
		return "whitespace+quoting"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// Normalisations says, per dialect, what Take removes from the tools'
// output and why. docs/conformance.md prints it.
var Normalisations = map[string][]string{
	"postgres": {
		"pg_dump's comment lines are dropped: the header and footer (\"PostgreSQL database dump\", the server and pg_dump versions), each entry's \"-- Name: …; Type: …; Schema: …; Owner: -\" heading (kept as the entry's key, so a difference is reported by object) and \"-- *not* creating schema\". They describe the dump, not the schema.",
		"`\\restrict KEY` and `\\unrestrict KEY` are dropped: psql meta-commands with a random key per run.",
		"The session settings before the first entry (SET statement_timeout … SET row_security, SELECT pg_catalog.set_config('search_path', …)) are dropped: the same in every dump. SET default_tablespace and default_table_access_method between entries are kept, with the entry they precede.",
		"Blank lines around an entry are trimmed. Nothing inside an entry is changed, and entries keep pg_dump's order (by object type, then schema and name, then dependencies: it follows from the catalog, not from the order of creation).",
	},
	"mysql": {
		"`AUTO_INCREMENT=N` is dropped from SHOW CREATE TABLE's table options: it is the table's next counter value, data rather than schema.",
		"The database's own name, where the server prints it (a view or routine that names its database), reads `DB`: each case runs in a database of its own, named at random.",
		"`STARTS '…'` of an event reads `STARTS <created>` when the timestamp is within the hour before the dump: MariaDB fills in the time of creation when the statement gives none, so two databases made seconds apart differ there.",
		"Objects are listed by kind (table, view, sequence, trigger, event, function, procedure) and then by name: the server keeps no order of creation. A trigger's action order among the triggers of its table is kept in its text.",
		"SHOW CREATE VIEW's, TRIGGER's and EVENT's session columns (character_set_client, collation_connection, the event's time zone, the trigger's creation time) are left out; sql_mode of triggers, events and routines is kept.",
	},
	"sqlite": {
		"Only objects with SQL text are listed: the automatic indexes of PRIMARY KEY and UNIQUE (sqlite_autoindex_…) have none and follow from their table's text.",
		"Objects are listed by type and name: sqlite_schema's order is the order of creation, which a table rebuilt by ALTER changes without the schema changing.",
		"The text itself is compared at three levels, reported side by side: strict (byte for byte, the judge), whitespace (any run of whitespace or comment is one space, none next to ( ) ,; SQLite keeps comments in the text, its lexer treats them as whitespace), and whitespace+quoting (also \"name\", `name` and [name] read as name where name needs no quotes).",
	},
}

// Take dumps the database q is connected to. url is the database's URL,
// which pg_dump needs on PostgreSQL; dbName is MySQL's database name.
func Take(ctx context.Context, dialectName string, q dialect.Querier, url, dbName string) (*Dump, error) {
	switch dialectName {
	case "postgres":
		return TakePostgres(ctx, url)
	case "mysql":
		return TakeMySQL(ctx, q, dbName)
	case "sqlite":
		return TakeSQLite(ctx, q)
	}
	return nil, fmt.Errorf("oracle: unknown dialect %q", dialectName)
}

// TakePostgres runs pg_dump --schema-only --no-owner --no-privileges on
// the database at url.
func TakePostgres(ctx context.Context, url string) (*Dump, error) {
	cmd := exec.CommandContext(ctx, "pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", url)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if errors.Is(err, exec.ErrNotFound) {
			msg = "the PostgreSQL oracle needs pg_dump on PATH"
		}
		return nil, dburl.ScrubError(fmt.Errorf("oracle: pg_dump: %w: %s", err, msg), url)
	}
	return ParsePgDump(out.String()), nil
}

var (
	pgHeaderRE = regexp.MustCompile(`^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: .*$`)
	pgNoiseRE  = regexp.MustCompile(`^(?:-- PostgreSQL database dump(?: complete)?|-- Dumped (?:from database|by pg_dump) version .*|-- \*not\* creating schema, since initdb creates it|\\(?:un)?restrict \S+)$`)
)

// ParsePgDump splits pg_dump's plain output into its entries (see
// Normalisations).
func ParsePgDump(text string) *Dump {
	lines := strings.Split(text, "\n")
	isHeader := func(i int) bool {
		return i >= 0 && i < len(lines) && (pgHeaderRE.MatchString(lines[i]) || pgNoiseRE.MatchString(lines[i]))
	}
	d := &Dump{Dialect: "postgres"}
	var (
		cur     *Object
		body    []string
		started bool
	)
	flush := func() (carry []string) {
		if cur == nil {
			return nil
		}
		body = trimBlank(body)
		// SET lines at the end of an entry belong to the next one.
		for len(body) > 0 && strings.HasPrefix(body[len(body)-1], "SET ") {
			carry = append([]string{body[len(body)-1]}, carry...)
			body = trimBlank(body[:len(body)-1])
		}
		cur.Text = strings.Join(body, "\n")
		d.Objects = append(d.Objects, *cur)
		cur, body = nil, nil
		return carry
	}
	for i, line := range lines {
		switch {
		case pgHeaderRE.MatchString(line):
			m := pgHeaderRE.FindStringSubmatch(line)
			carry := flush()
			started = true
			key := m[2] + " "
			if m[3] != "-" {
				key += m[3] + "."
			}
			cur = &Object{Key: key + m[1]}
			body = carry
		case pgNoiseRE.MatchString(line):
		case line == "--" && (isHeader(i-1) || isHeader(i+1)):
		case !started:
			// The session settings before the first entry.
		default:
			body = append(body, line)
		}
	}
	flush()
	// Keys are unique within a dump for the messages' sake.
	seen := map[string]int{}
	for i := range d.Objects {
		k := d.Objects[i].Key
		seen[k]++
		if n := seen[k]; n > 1 {
			d.Objects[i].Key = fmt.Sprintf("%s (#%d)", k, n)
		}
	}
	return d
}

func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// TakeSQLite reads sqlite_schema.
func TakeSQLite(ctx context.Context, q dialect.Querier) (*Dump, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, sql FROM main.sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name`)
	if err != nil {
		return nil, fmt.Errorf("oracle: sqlite_schema: %w", err)
	}
	defer rows.Close()
	d := &Dump{Dialect: "sqlite"}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, fmt.Errorf("oracle: sqlite_schema: %w", err)
		}
		d.Objects = append(d.Objects, Object{Key: strings.ToUpper(typ) + " " + name, Text: text})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("oracle: sqlite_schema: %w", err)
	}
	return d, nil
}

// queryMaps runs a query and returns its rows as maps of column name to
// value (NULL as "").
func queryMaps(ctx context.Context, q dialect.Querier, query string, args ...any) ([]map[string]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]string, len(cols))
		for i, c := range cols {
			m[c] = vals[i].String
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func quoteMySQL(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

var (
	autoIncrementRE = regexp.MustCompile(` AUTO_INCREMENT=\d+`)
	startsRE        = regexp.MustCompile(`STARTS '(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)'`)
)

// TakeMySQL reads the SHOW CREATE statements of every object of the
// connection's database, dbName.
func TakeMySQL(ctx context.Context, q dialect.Querier, dbName string) (*Dump, error) {
	d := &Dump{Dialect: "mysql"}
	wrap := func(what string, err error) error { return fmt.Errorf("oracle: %s: %w", what, err) }
	var now time.Time
	if rows, err := queryMaps(ctx, q, "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now"); err != nil {
		return nil, wrap("NOW()", err)
	} else if len(rows) == 1 {
		now, _ = time.Parse(time.DateTime, rows[0]["now"])
	}
	mask := func(s string) string {
		if dbName != "" {
			s = strings.ReplaceAll(s, quoteMySQL(dbName), "`DB`")
			s = strings.ReplaceAll(s, dbName, "DB")
		}
		return s
	}
	add := func(kind, name, text string) {
		d.Objects = append(d.Objects, Object{Key: kind + " " + name, Text: mask(text)})
	}
	tables, err := queryMaps(ctx, q, `SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`)
	if err != nil {
		return nil, wrap("tables", err)
	}
	var objs [3][]Object // tables, views, sequences
	for _, t := range tables {
		name := t["name"]
		switch t["type"] {
		case "VIEW":
			r, err := queryMaps(ctx, q, "SHOW CREATE VIEW "+quoteMySQL(name))
			if err != nil || len(r) != 1 {
				return nil, wrap("SHOW CREATE VIEW "+name, err)
			}
			objs[1] = append(objs[1], Object{"VIEW " + name, mask(r[0]["Create View"])})
		case "SEQUENCE":
			r, err := queryMaps(ctx, q, "SHOW CREATE SEQUENCE "+quoteMySQL(name))
			if err != nil || len(r) != 1 {
				return nil, wrap("SHOW CREATE SEQUENCE "+name, err)
			}
			objs[2] = append(objs[2], Object{"SEQUENCE " + name, mask(r[0]["Create Table"])})
		default:
			r, err := queryMaps(ctx, q, "SHOW CREATE TABLE "+quoteMySQL(name))
			if err != nil || len(r) != 1 {
				return nil, wrap("SHOW CREATE TABLE "+name, err)
			}
			text := autoIncrementRE.ReplaceAllString(r[0]["Create Table"], "")
			objs[0] = append(objs[0], Object{"TABLE " + name, mask(text)})
		}
	}
	for _, o := range objs {
		d.Objects = append(d.Objects, o...)
	}
	triggers, err := queryMaps(ctx, q, `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_ORDER AS ord FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME`)
	if err != nil {
		return nil, wrap("triggers", err)
	}
	for _, t := range triggers {
		r, err := queryMaps(ctx, q, "SHOW CREATE TRIGGER "+quoteMySQL(t["name"]))
		if err != nil || len(r) != 1 {
			return nil, wrap("SHOW CREATE TRIGGER "+t["name"], err)
		}
		add("TRIGGER", t["name"], fmt.Sprintf("-- on %s, action order %s, sql_mode %s\n%s", t["tbl"], t["ord"], r[0]["sql_mode"], r[0]["SQL Original Statement"]))
	}
	events, err := queryMaps(ctx, q, `SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME`)
	if err != nil {
		return nil, wrap("events", err)
	}
	for _, e := range events {
		r, err := queryMaps(ctx, q, "SHOW CREATE EVENT "+quoteMySQL(e["name"]))
		if err != nil || len(r) != 1 {
			return nil, wrap("SHOW CREATE EVENT "+e["name"], err)
		}
		text := startsRE.ReplaceAllStringFunc(r[0]["Create Event"], func(s string) string {
			ts, err := time.Parse(time.DateTime, startsRE.FindStringSubmatch(s)[1])
			if err == nil && !now.IsZero() && !ts.After(now) && now.Sub(ts) < time.Hour {
				return "STARTS <created>"
			}
			return s
		})
		add("EVENT", e["name"], fmt.Sprintf("-- sql_mode %s\n%s", r[0]["sql_mode"], text))
	}
	routines, err := queryMaps(ctx, q, `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE, ROUTINE_NAME`)
	if err != nil {
		return nil, wrap("routines", err)
	}
	for _, rt := range routines {
		kind := rt["type"] // FUNCTION, PROCEDURE, PACKAGE…
		r, err := queryMaps(ctx, q, "SHOW CREATE "+kind+" "+quoteMySQL(rt["name"]))
		if err != nil || len(r) != 1 {
			return nil, wrap("SHOW CREATE "+kind+" "+rt["name"], err)
		}
		col := "Create " + strings.ToUpper(kind[:1]) + strings.ToLower(kind[1:])
		add(kind, rt["name"], fmt.Sprintf("-- sql_mode %s\n%s", r[0]["sql_mode"], r[0][col]))
	}
	return d, nil
}

// Diff is one difference between two dumps.
type Diff struct {
	// Key is the object's key, or "" for a difference of order.
	Key string
	// Got and Want are the object's texts at the level compared (one of
	// them empty for a missing or unwanted object), or the keys in
	// order for a difference of order.
	Got, Want string
	// Level is the level the texts were compared at.
	Level Level
	// Missing: the object is in want only; Extra: in got only.
	Missing, Extra bool
}

// String says what differs, quoting the texts from a little before the
// first byte that differs.
func (d Diff) String() string {
	switch {
	case d.Key == "":
		return fmt.Sprintf("order of objects: got %s; want %s", d.Got, d.Want)
	case d.Missing:
		return fmt.Sprintf("%s: missing; want %s", d.Key, excerptAround(d.Want, ""))
	case d.Extra:
		return fmt.Sprintf("%s: not wanted; got %s", d.Key, excerptAround(d.Got, ""))
	}
	return fmt.Sprintf("%s: got %s; want %s", d.Key, excerptAround(d.Got, d.Want), excerptAround(d.Want, d.Got))
}

// Differences lists how got differs from want at level: objects missing
// or extra, objects whose text differs, and a different order of the
// same objects. None means equal.
func Differences(got, want *Dump, level Level) []Diff {
	gm := map[string]string{}
	for _, o := range got.Objects {
		gm[o.Key] = o.Text
	}
	wm := map[string]string{}
	for _, o := range want.Objects {
		wm[o.Key] = o.Text
	}
	var out []Diff
	for _, o := range want.Objects {
		g, ok := gm[o.Key]
		switch {
		case !ok:
			out = append(out, Diff{Key: o.Key, Want: Canon(o.Text, level), Level: level, Missing: true})
		case Canon(g, level) != Canon(o.Text, level):
			out = append(out, Diff{Key: o.Key, Got: Canon(g, level), Want: Canon(o.Text, level), Level: level})
		}
	}
	for _, o := range got.Objects {
		if _, ok := wm[o.Key]; !ok {
			out = append(out, Diff{Key: o.Key, Got: Canon(o.Text, level), Level: level, Extra: true})
		}
	}
	if len(out) == 0 {
		var gk, wk []string
		for _, o := range got.Objects {
			gk = append(gk, o.Key)
		}
		for _, o := range want.Objects {
			wk = append(wk, o.Key)
		}
		if !slices.Equal(gk, wk) {
			out = append(out, Diff{Got: strings.Join(gk, ", "), Want: strings.Join(wk, ", "), Level: level})
		}
	}
	return out
}

// excerptAround quotes s from a little before the first byte where it
// differs from other.
func excerptAround(s, other string) string {
	i := 0
	for i < len(s) && i < len(other) && s[i] == other[i] {
		i++
	}
	start := max(0, i-40)
	for start > 0 && start < len(s) && s[start]&0xC0 == 0x80 {
		start--
	}
	end := min(len(s), i+80)
	for end < len(s) && s[end]&0xC0 == 0x80 {
		end++
	}
	out := s[start:end]
	if start > 0 {
		out = "…" + out
	}
	if end < len(s) {
		out += "…"
	}
	return fmt.Sprintf("%q", out)
}

// Canon returns text as compared at level.
func Canon(text string, level Level) string {
	if level == Strict {
		return text
	}
	var b strings.Builder
	space := false
	last := byte(0)
	punct := func(c byte) bool { return c == '(' || c == ')' || c == ',' }
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
			i++
			continue
		case strings.HasPrefix(text[i:], "--"):
			// A comment is whitespace to SQL's lexer.
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				j = len(text) - i
			}
			space, i = true, i+j
			continue
		case strings.HasPrefix(text[i:], "/*"):
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				j = len(text) - i - 4
			}
			space, i = true, i+j+4
			continue
		case c == '\'':
			j := i + 1
			for j < len(text) {
				if text[j] == '\'' {
					if j+1 < len(text) && text[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(len(text), j+1)
			if space && last != 0 && !punct(last) {
				b.WriteByte(' ')
			}
			b.WriteString(text[i:end])
			last, space, i = '\'', false, end
			continue
		case level >= Quoting && (c == '"' || c == '`' || c == '['):
			closing := map[byte]byte{'"': '"', '`': '`', '[': ']'}[c]
			j := strings.IndexByte(text[i+1:], closing)
			if j >= 0 {
				name := text[i+1 : i+1+j]
				if plainIdentRE.MatchString(name) {
					if space && last != 0 && !punct(last) {
						b.WriteByte(' ')
					}
					b.WriteString(name)
					last, space, i = name[len(name)-1], false, i+j+2
					continue
				}
			}
		}
		if space && last != 0 && !punct(last) && !punct(c) {
			b.WriteByte(' ')
		}
		b.WriteByte(c)
		last, space = c, false
		i++
	}
	return b.String()
}

var plainIdentRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
