package strata

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/schema"
)

// A schema file says that something was renamed with a comment:
//
//	CREATE TABLE accounts ( -- strata:renamed_from users
//	  id INTEGER PRIMARY KEY,
//	  email TEXT NOT NULL, -- strata:renamed_from mail
//	  CONSTRAINT email_present CHECK (email <> '') -- strata:renamed_from mail_present
//	);
//	CREATE INDEX accounts_email_idx ON accounts (email); -- strata:renamed_from users_mail_idx
//
// The comment ends the line it concerns; written alone on a line, it
// concerns the next line that holds SQL. The line names what was renamed:
// a CREATE TABLE line the table, a line of a CREATE TABLE's body the
// column (or, starting with CONSTRAINT, or with KEY, INDEX or UNIQUE KEY
// and a name, the constraint or index) it declares, a CREATE INDEX line
// the index, an ALTER TABLE … ADD CONSTRAINT line the constraint.
const renamedFromMark = "strata:renamed_from"

// renameKind is what a renamed_from annotation renames.
type renameKind int

const (
	renameTable renameKind = iota
	renameColumn
	renameConstraint
)

// fileRename is one renamed_from annotation of a schema file: From became
// To; Table is the table (its name in the file) of a column or
// constraint.
type fileRename struct {
	Line            int
	Kind            renameKind
	Table, From, To string
}

var (
	createTableRE = regexp.MustCompile(`(?i)^\s*CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP|TEMPORARY|UNLOGGED\s+)?\s*TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(` + identPattern + `)`)
	createIndexRE = regexp.MustCompile(`(?i)^\s*CREATE\s+(?:UNIQUE\s+)?(?:FULLTEXT\s+|SPATIAL\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(` + identPattern + `)\s+ON\s+(?:ONLY\s+)?(` + identPattern + `)`)
	addConstraint = regexp.MustCompile(`(?i)^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(` + identPattern + `)\s+ADD\s+CONSTRAINT\s+(` + identPattern + `)`)
	constraintRE  = regexp.MustCompile(`(?i)^\s*CONSTRAINT\s+(` + identPattern + `)`)
	keyRE         = regexp.MustCompile(`(?i)^\s*(?:UNIQUE\s+(?:KEY|INDEX)|KEY|INDEX|FULLTEXT\s+(?:KEY|INDEX)|SPATIAL\s+(?:KEY|INDEX))\s+(` + identPattern + `)\s*\(`)
	columnRE      = regexp.MustCompile(`^\s*(` + identPattern + `)`)
	// A line of a CREATE TABLE's body starting with one of these declares
	// no column.
	tableClause = regexp.MustCompile(`(?i)^\s*(PRIMARY|FOREIGN|CHECK|UNIQUE|KEY|INDEX|CONSTRAINT|FULLTEXT|SPATIAL|EXCLUDE|LIKE|PERIOD)\b`)
)

// identPattern is a name, perhaps schema-qualified, bare or quoted.
const identPattern = `(?:(?:"(?:[^"]|"")+"|` + "`(?:[^`]|``)+`" + `|\[[^\]]+\]|[\p{L}_][\p{L}\p{N}_$]*)\.)?(?:"(?:[^"]|"")+"|` + "`(?:[^`]|``)+`" + `|\[[^\]]+\]|[\p{L}_][\p{L}\p{N}_$]*)`

// identName returns the last part of a name matched by identPattern,
// unquoted; bare reports whether it was written without quotes.
func identName(s string) (name string, bare bool) {
	// The last part: after the last dot outside quotes.
	last, inQuote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '`':
			inQuote = c
		case c == '[':
			inQuote = ']'
		case c == '.':
			last = i + 1
		}
	}
	p := s[last:]
	switch {
	case len(p) >= 2 && p[0] == '"':
		return strings.ReplaceAll(p[1:len(p)-1], `""`, `"`), false
	case len(p) >= 2 && p[0] == '`':
		return strings.ReplaceAll(p[1:len(p)-1], "``", "`"), false
	case len(p) >= 2 && p[0] == '[':
		return p[1 : len(p)-1], false
	}
	return p, true
}

// parseFileRenames reads the renamed_from annotations of a schema file.
// An annotation that stands on no line that names a table, column,
// constraint or index is an error naming its line.
func parseFileRenames(path, text string) ([]fileRename, error) {
	lines := strings.Split(text, "\n")
	var (
		out     []fileRename
		pending []fileRename // annotations alone on their line, waiting for the next SQL line
		table   string       // the CREATE TABLE whose body the scan is in
		depth   int          // parentheses open in it
	)
	for i, raw := range lines {
		code, comment := splitComment(raw)
		var here []fileRename
		if idx := strings.Index(comment, renamedFromMark); idx >= 0 {
			old := strings.Fields(comment[idx+len(renamedFromMark):])
			if len(old) == 0 {
				return nil, fmt.Errorf("strata: schema file %s:%d: %s needs the old name", path, i+1, renamedFromMark)
			}
			from, _ := identName(old[0])
			r := fileRename{Line: i + 1, From: from}
			if strings.TrimSpace(code) == "" {
				pending = append(pending, r)
			} else {
				here = append(here, r)
			}
		}
		if strings.TrimSpace(code) == "" {
			continue
		}
		targets := append(pending, here...)
		pending = nil
		for _, r := range targets {
			if err := r.attach(code, table, depth); err != nil {
				return nil, fmt.Errorf("strata: schema file %s:%d: %s %s: %w", path, r.Line, renamedFromMark, r.From, err)
			}
			out = append(out, r)
		}
		// Follow CREATE TABLE bodies, by parentheses.
		if depth == 0 {
			if m := createTableRE.FindStringSubmatch(code); m != nil {
				table, _ = identName(m[1])
			}
		}
		if table != "" {
			depth += strings.Count(stripStrings(code), "(") - strings.Count(stripStrings(code), ")")
			if depth <= 0 && strings.Contains(code, ")") {
				table, depth = "", 0
			}
		}
	}
	if len(pending) > 0 {
		r := pending[0]
		return nil, fmt.Errorf("strata: schema file %s:%d: %s %s: no SQL follows it", path, r.Line, renamedFromMark, r.From)
	}
	return out, nil
}

// attach works out what the SQL line code renames, given the CREATE TABLE
// (table, with depth parentheses open) the line stands in.
func (r *fileRename) attach(code, table string, depth int) error {
	if m := createTableRE.FindStringSubmatch(code); m != nil {
		r.Kind = renameTable
		r.To, _ = identName(m[1])
		return nil
	}
	if m := createIndexRE.FindStringSubmatch(code); m != nil {
		r.Kind = renameConstraint
		r.To, _ = identName(m[1])
		r.Table, _ = identName(m[2])
		return nil
	}
	if m := addConstraint.FindStringSubmatch(code); m != nil {
		r.Kind = renameConstraint
		r.Table, _ = identName(m[1])
		r.To, _ = identName(m[2])
		return nil
	}
	if table == "" || depth < 1 {
		return fmt.Errorf("the line names no table, column, constraint or index")
	}
	r.Table = table
	if m := constraintRE.FindStringSubmatch(code); m != nil {
		r.Kind = renameConstraint
		r.To, _ = identName(m[1])
		return nil
	}
	if m := keyRE.FindStringSubmatch(code); m != nil {
		r.Kind = renameConstraint
		r.To, _ = identName(m[1])
		return nil
	}
	if tableClause.MatchString(code) {
		return fmt.Errorf("the line declares an unnamed constraint; name it with CONSTRAINT to rename it")
	}
	m := columnRE.FindStringSubmatch(code)
	if m == nil {
		return fmt.Errorf("the line names no table, column, constraint or index")
	}
	r.Kind = renameColumn
	r.To, _ = identName(m[1])
	return nil
}

// splitComment splits a line at its -- comment, outside quotes.
func splitComment(line string) (code, comment string) {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"' || c == '`':
			q = c
		case c == '-' && i+1 < len(line) && line[i+1] == '-':
			return line[:i], line[i+2:]
		}
	}
	return line, ""
}

// stripStrings blanks out quoted strings and names, so that parentheses in
// them are not counted.
func stripStrings(s string) string {
	var b strings.Builder
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
			continue
		case c == '\'' || c == '"' || c == '`':
			q = c
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// schemaFileRenames turns the schema file's renamed_from annotations into
// diff options, against the database's schema current and the file's
// desired. An annotation the database already shows (the new name there)
// is left out, as is one on a table the database lacks altogether (a new
// table, or a new database); one whose old and new names the database
// both lacks, where it has the table, is an error naming the file and
// line.
func (m *Migrator) schemaFileRenames(current, desired *schema.Schema) ([]diff.Option, error) {
	if m.cfg.schemaFile == "" {
		return nil, nil
	}
	data, err := os.ReadFile(m.cfg.schemaFile)
	if err != nil {
		return nil, fmt.Errorf("strata: schema file: %w", err)
	}
	renames, err := parseFileRenames(m.cfg.schemaFile, string(data))
	if err != nil {
		return nil, err
	}
	fail := func(r fileRename, format string, args ...any) error {
		return fmt.Errorf("strata: schema file %s:%d: %s %s: %s", m.cfg.schemaFile, r.Line, renamedFromMark, r.From, fmt.Sprintf(format, args...))
	}
	var opts []diff.Option
	// Tables first: a column's or constraint's table is found in the
	// database under its old name.
	oldTable := map[string]string{} // new name -> old name, of tables renamed now
	for _, r := range renames {
		if r.Kind != renameTable {
			continue
		}
		to, ok := findTable(desired, r.To)
		if !ok {
			return nil, fail(r, "the schema file makes no table %q", r.To)
		}
		_, hasNew := findTable(current, to.Name)
		from, hasOld := findTable(current, r.From)
		switch {
		case hasNew:
			// Done already.
		case hasOld:
			opts = append(opts, diff.RenameTable(from.Name, to.Name))
			oldTable[to.Name] = from.Name
		case len(current.Tables) > 0:
			return nil, fail(r, "the database has neither table %q nor %q", r.From, r.To)
		}
	}
	for _, r := range renames {
		if r.Kind == renameTable {
			continue
		}
		tt, ok := findTable(desired, r.Table)
		if !ok {
			return nil, fail(r, "the schema file makes no table %q", r.Table)
		}
		dbName := tt.Name
		if old, ok := oldTable[tt.Name]; ok {
			dbName = old
		}
		ft, ok := findTable(current, dbName)
		if !ok {
			continue // a new table
		}
		switch r.Kind {
		case renameColumn:
			to, ok := findColumn(tt, r.To)
			if !ok {
				return nil, fail(r, "table %q of the schema file has no column %q", tt.Name, r.To)
			}
			_, hasNew := findColumn(ft, to.Name)
			from, hasOld := findColumn(ft, r.From)
			switch {
			case hasNew:
			case hasOld:
				opts = append(opts, diff.RenameColumn(tt.Name, from.Name, to.Name))
			default:
				return nil, fail(r, "table %q in the database has neither column %q nor %q", ft.Name, r.From, r.To)
			}
		case renameConstraint:
			to, ok := findConstraint(tt, r.To)
			if !ok {
				return nil, fail(r, "table %q of the schema file has no constraint or index %q", tt.Name, r.To)
			}
			_, hasNew := findConstraint(ft, to)
			from, hasOld := findConstraint(ft, r.From)
			switch {
			case hasNew:
			case hasOld:
				opts = append(opts, diff.RenameConstraint(tt.Name, from, to))
			default:
				return nil, fail(r, "table %q in the database has neither constraint or index %q nor %q", ft.Name, r.From, r.To)
			}
		}
	}
	return opts, nil
}

// diffOptions are the options every comparison of the database with the
// desired schema takes: the dialect's generated names, which stand for no
// name where the desired schema did not come from a schema file.
func (m *Migrator) diffOptions() []diff.Option {
	g, ok := m.dialect.(dialect.GeneratedNamer)
	if !ok {
		return nil
	}
	opts := []diff.Option{diff.GeneratedNames(g.GeneratedName)}
	if m.cfg.schemaFile == "" {
		// The models' (or WithSchema's) unnamed constraints got their
		// generated names from Canonical.
		opts = append(opts, diff.UnnamedWhenGenerated())
	}
	return opts
}

// findTable finds a table by name, exactly or else ignoring case (a
// schema file may write a name as PostgreSQL folds it, or not).
func findTable(s *schema.Schema, name string) (*schema.Table, bool) {
	if t, ok := s.Table(name); ok {
		return t, true
	}
	for _, t := range s.Tables {
		if strings.EqualFold(t.Name, name) {
			return t, true
		}
	}
	return nil, false
}

func findColumn(t *schema.Table, name string) (*schema.Column, bool) {
	if c, ok := t.Column(name); ok {
		return c, true
	}
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return nil, false
}

// findConstraint finds the name of t's constraint or index called name,
// exactly or else ignoring case.
func findConstraint(t *schema.Table, name string) (string, bool) {
	var names []string
	if t.PrimaryKey != nil && t.PrimaryKey.Name != "" {
		names = append(names, t.PrimaryKey.Name)
	}
	for _, fk := range t.ForeignKeys {
		names = append(names, fk.Name)
	}
	for _, ck := range t.Checks {
		names = append(names, ck.Name)
	}
	for _, ix := range t.Indexes {
		names = append(names, ix.Name)
	}
	for _, n := range names {
		if n != "" && n == name {
			return n, true
		}
	}
	for _, n := range names {
		if n != "" && strings.EqualFold(n, name) {
			return n, true
		}
	}
	return "", false
}
