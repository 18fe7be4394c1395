// Package lint flags changes in revisions that are risky on a live
// database: statements that destroy data, narrow types, add NOT NULL
// without filling existing rows, rename what the running application
// still uses, or take locks that stop traffic (PostgreSQL) or copy the
// table (MySQL).
//
// Each rule has an id and a page under docs/lint/. A revision file
// silences one rule with a reason in its header:
//
//	-- strata:lint-ignore SL001 the table was emptied and retired in 2025
package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-go/strata/internal/sqlx"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// Rule is one check.
type Rule struct {
	ID    string
	Title string
	// Dialects limits the rule to these dialects; empty means all.
	Dialects []string
	check    func(c *context, s revision.Statement) (string, bool)
}

// Finding is one risky statement.
type Finding struct {
	Rule     string `json:"rule"`
	Title    string `json:"title"`
	Revision string `json:"revision_id"`
	Where    string `json:"where"`
	Message  string `json:"message"`
	// Ignored holds the reason given by a lint-ignore directive; the
	// finding is then informational.
	Ignored string `json:"ignored,omitempty"`
	// Index is the position of the statement in its direction, from 0:
	// where migrate writes the finding into the file it generates.
	Index int `json:"-"`
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s %s: %s (docs/lint/%s.md)", f.Where, f.Rule, f.Title, f.Message, f.Rule)
	if f.Ignored != "" {
		s += " [ignored: " + f.Ignored + "]"
	}
	return s
}

// context is what a rule knows while reading one revision.
type context struct {
	dialect string
	// before loads the schema before the revision, nil when unknown; see
	// table.
	before func() *schema.Schema
	// inverse holds the statements of the revision's other direction,
	// which tell a column's old type where the schema is unknown (see
	// oldType).
	inverse []revision.Statement
	loaded  bool
	current *schema.Schema
	// created holds tables the revision created before this statement.
	created map[string]bool
	// backfilled holds table.column pairs an UPDATE … IS NULL filled before
	// this statement.
	backfilled map[string]bool
	// rebuilt holds tables the revision rebuilds (a new table renamed into
	// the name, as SQLite's table rebuild does): dropping the old one loses
	// nothing.
	rebuilt map[string]bool
	// renamed maps table key + "." + a column's name before the revision to
	// its name after the RENAME COLUMN statements linted so far.
	renamed map[string]string
}

// tableBefore returns a table as it was before the revision, also when
// the revision created a table of its name since (a rebuild).
func (c *context) tableBefore(name string) (*schema.Table, bool) {
	if !c.loaded {
		c.loaded = true
		if c.before != nil {
			c.current = c.before()
		}
	}
	if c.current == nil {
		return nil, false
	}
	return c.current.Table(sqlx.Unquote(name))
}

func (c *context) existing(table string) bool { return !c.created[tableKey(table)] }

// tableKey is the key of a table in created: its name, case folded, as
// the databases fold bare names (PostgreSQL, SQLite, MySQL on most
// systems), so that CREATE TABLE Posts and CREATE INDEX … ON posts agree.
func tableKey(table string) string { return strings.ToLower(sqlx.Unquote(table)) }

// follow notes what sql, the statement just linted, creates: a table, or
// a table created earlier in the revision under its new name.
func (c *context) follow(sql string) {
	if m := createTableRE.FindStringSubmatch(sql); m != nil {
		c.created[tableKey(m[1])] = true
	}
	if table, cls, ok := alter(sql); ok {
		for _, cl := range cls {
			if m := renameRE.FindStringSubmatch(cl); m != nil && m[1] != "" && !strings.EqualFold(m[1], "TO") {
				old, now := sqlx.Unquote(m[1]), sqlx.Unquote(m[2])
				for k, v := range c.renamed {
					if strings.HasPrefix(k, tableKey(table)+".") && v == old {
						c.renamed[k] = now
						old = ""
					}
				}
				if old != "" {
					c.renamed[tableKey(table)+"."+old] = now
				}
			}
		}
	}
	if table, cls, ok := alter(sql); ok && !c.existing(table) {
		for _, cl := range cls {
			if m := renameRE.FindStringSubmatch(cl); m != nil && m[3] != "" {
				c.created[tableKey(m[3])] = true
			}
		}
	}
	for _, p := range renamedTables(sql) {
		if !c.existing(p[0]) {
			c.created[tableKey(p[1])] = true
		}
	}
}

// table returns a table as it was before the revision: false when the
// revision created it before this statement, or when the schema is
// unknown. The schema is loaded the first time a rule asks, so that a
// revision touching only its own new tables costs no inspection.
func (c *context) table(name string) (*schema.Table, bool) {
	if !c.existing(name) {
		return nil, false
	}
	if !c.loaded {
		c.loaded = true
		if c.before != nil {
			c.current = c.before()
		}
	}
	if c.current == nil {
		return nil, false
	}
	return c.current.Table(sqlx.Unquote(name))
}

// internal reports strata's own scratch tables (the rebuild's new table,
// its guards), which are not the application's.
func internal(table string) bool {
	name := sqlx.Unquote(table)
	return strings.HasPrefix(name, "_strata_") || strings.HasPrefix(strings.ToLower(table), "temp.")
}

// Revision lints one direction's statements of rev (upgrade when down is
// false). current is the schema before the revision, or nil when unknown;
// rules that need it are skipped then. Go revisions have no statements
// to read and yield nothing.
func Revision(rev *revision.Revision, dialect string, current *schema.Schema, down bool) []Finding {
	return RevisionLazy(rev, dialect, func() *schema.Schema { return current }, down)
}

// RevisionLazy is Revision with the schema before the revision given by
// before, which is called at most once, and only when a rule needs a table
// the revision did not create (nil before, or nil from it, means unknown).
// Linting a revision that only creates tables then reads no catalog.
func RevisionLazy(rev *revision.Revision, dialect string, before func() *schema.Schema, down bool) []Finding {
	stmts := rev.Up
	if down {
		stmts = rev.Down
	}
	c := &context{dialect: dialect, before: before, created: map[string]bool{}, backfilled: map[string]bool{}, rebuilt: map[string]bool{}, renamed: map[string]string{}}
	if c.inverse = rev.Down; down {
		c.inverse = rev.Up
	}
	for _, s := range stmts {
		if table, cls, ok := alter(strings.TrimSpace(s.SQL)); ok && internal(table) {
			for _, cl := range cls {
				if m := renameRE.FindStringSubmatch(cl); m != nil && m[3] != "" {
					c.rebuilt[sqlx.Unquote(m[3])] = true
				}
			}
		}
	}
	var out []Finding
	for i, s := range stmts {
		sql := strings.TrimSpace(s.SQL)
		for _, r := range Rules {
			if len(r.Dialects) > 0 && !slices.Contains(r.Dialects, dialect) {
				continue
			}
			if msg, hit := r.check(c, revision.Statement{SQL: sql, Line: s.Line}); hit {
				f := Finding{Rule: r.ID, Title: r.Title, Revision: rev.ID, Where: rev.Where(s), Message: msg, Index: i}
				if reason, ok := rev.LintIgnore[r.ID]; ok {
					f.Ignored = reason
				}
				out = append(out, f)
			}
		}
		c.follow(sql)
		if m := backfillRE.FindStringSubmatch(sql); m != nil {
			c.backfilled[sqlx.Unquote(m[1])+"."+sqlx.Unquote(m[2])] = true
		}
	}
	return out
}

// Active returns the findings that no lint-ignore silences.
func Active(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Ignored == "" {
			out = append(out, f)
		}
	}
	return out
}

var (
	createTableRE = regexp.MustCompile(`(?is)^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(` + sqlx.Ident + `)`)
	backfillRE    = regexp.MustCompile(`(?is)^UPDATE\s+(` + sqlx.Ident + `)\s+SET\s+(` + sqlx.Ident + `)\s*=.*WHERE\s+(?:` + sqlx.Ident + `\.)?(?:` + sqlx.Ident + `)\s+IS\s+NULL`)
	alterTableRE  = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(` + sqlx.Ident + `)\s+(.*)$`)
)

// clauses splits the body of an ALTER TABLE at top-level commas.
func clauses(body string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(body); i++ {
		ch := body[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"' || ch == '`':
			quote = ch
		case ch == '(':
			depth++
		case ch == ')':
			depth--
		case ch == ',' && depth == 0:
			out = append(out, strings.TrimSpace(body[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(body[start:]))
}

// alter returns the table and clauses of an ALTER TABLE statement.
func alter(sql string) (string, []string, bool) {
	m := alterTableRE.FindStringSubmatch(sql)
	if m == nil {
		return "", nil, false
	}
	return m[1], clauses(m[2]), true
}
