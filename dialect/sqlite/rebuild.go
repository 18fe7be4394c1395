package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/schema"
)

// A change ALTER TABLE cannot make is a table rebuild, written in plain
// SQL that runs the same under the sqlite3 shell as under strata:
//
//	PRAGMA legacy_alter_table = ON
//	ALTER TABLE t RENAME TO _strata_old_t
//	CREATE TABLE t (...)                  -- the table as wanted
//	INSERT INTO t (...) SELECT ... FROM _strata_old_t
//	DROP TABLE _strata_old_t
//	CREATE INDEX ... ON t (...)           -- each index, again
//	CREATE TRIGGER ... ON t ...           -- each trigger, again
//	PRAGMA legacy_alter_table = OFF
//
// and, once after every change of the revision, PRAGMA foreign_key_check
// on each rebuilt table and on the tables that reference it.
//
// This is not the order SQLite's documentation gives
// (https://sqlite.org/lang_altertable.html#otheralter: create new_t, copy,
// drop t, rename new_t to t). Renaming writes the new name, quoted, into
// the table's stored CREATE TABLE text, so that order leaves
// CREATE TABLE "t" in sqlite_schema where a fresh CREATE TABLE t leaves
// the text as written; renaming the old table aside and creating t under
// its own name leaves exactly the text strata writes. The documentation
// warns against renaming aside because a rename rewrites the references
// to the table in other tables' foreign keys, in views and in triggers;
// PRAGMA legacy_alter_table=ON turns that rewriting off (with foreign keys
// off, which a rebuild needs anyway, see below), so those references keep
// naming t and find the new table. Views therefore stay as they are, and
// the old table's indexes and triggers go with it when it is dropped:
// they are created again from the schema, as explicit statements.
//
// What the documentation's steps 1 and 12 do (foreign keys off around the
// rebuild) cannot happen inside the revision's transaction, where PRAGMA
// foreign_keys is a no-op; and the guard statements strata once wrote
// into the file are gone. Instead, before a revision runs, the dialect
// reads its statements (CheckStatements, preflight.go) and refuses when
// a table it drops and creates again has triggers the revision does not
// create again, or when foreign keys are on and such a table is
// referenced (dropping it would delete or orphan the rows that reference
// it). A failure anywhere rolls back with the transaction.
//
// AUTOINCREMENT: dropping a table forgets its high-water mark in
// sqlite_sequence, and copying the rows only records the largest id left.
// The new table's row is written from the old one's before the copy, and
// the copy raises it where an id is higher, so ids of deleted rows are
// still never reused.

// oldPrefix names the old table while a rebuild copies from it.
const oldPrefix = "_strata_old_"

// hasKeyword reports whether t has an AUTOINCREMENT column.
func hasKeyword(t *schema.Table) bool {
	c := aliasColumn(t)
	return c != nil && c.Identity == schema.IdentityKeyword
}

// copyAll maps each column of after that before has, and that is not
// generated in either, to itself: the columns a rebuild copies.
func copyAll(before, after *schema.Table) map[string]string {
	sources := map[string]string{}
	for _, c := range after.Columns {
		if old, ok := before.Column(c.Name); ok && old.Generated.Expr == "" && c.Generated.Expr == "" {
			sources[c.Name] = quote(c.Name)
		}
	}
	return sources
}

// rebuild returns the statements that turn table before into after (of
// the same name). sources maps each column of after that takes its values
// from the old table to the expression, over the old table's columns,
// that gives them; the other columns take their defaults (or are
// computed, if generated). The foreign key checks are the caller's
// (foreignKeyChecks), once after all the rebuilds of a revision.
func rebuild(before, after *schema.Table, sources map[string]string) []string {
	name := after.Name
	old := oldPrefix + before.Name
	var to, from []string
	for _, c := range after.Columns {
		if src, ok := sources[c.Name]; ok {
			to, from = append(to, quote(c.Name)), append(from, src)
		}
	}
	stmts := []string{
		"PRAGMA legacy_alter_table = ON",
		fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quote(before.Name), quote(old)),
		createTable(name, after),
	}
	if hasKeyword(before) && hasKeyword(after) {
		stmts = append(stmts, fmt.Sprintf("INSERT INTO sqlite_sequence (name, seq) SELECT %s, seq FROM sqlite_sequence WHERE name = %s",
			quoteString(name), quoteString(old)))
	}
	if len(to) > 0 {
		stmts = append(stmts, fmt.Sprintf("INSERT INTO %s (%s)\n  SELECT %s FROM %s", quote(name), strings.Join(to, ", "), strings.Join(from, ", "), quote(old)))
	}
	stmts = append(stmts, "DROP TABLE "+quote(old))
	for _, ix := range after.Indexes {
		if !isUniqueConstraint(ix) {
			stmts = append(stmts, createIndex(name, ix))
		}
	}
	stmts = append(stmts, createTriggers(after.Triggers)...)
	return append(stmts, "PRAGMA legacy_alter_table = OFF")
}

// foreignKeyChecks returns the PRAGMA foreign_key_check statements that
// end a revision's rebuilds: one on each rebuilt table and on each table
// of s (the schema after the revision) that references one. The check
// fails on a foreign key that no longer matches a unique key of its
// parent ("foreign key mismatch"); it returns the rows that violate a key
// rather than failing, which strata's Exec turns into an error (the
// sqlite3 shell prints them).
func foreignKeyChecks(s *schema.Schema, rebuilt []string) []string {
	var names []string
	add := func(n string) {
		if !slices.ContainsFunc(names, func(m string) bool { return strings.EqualFold(m, n) }) {
			names = append(names, n)
		}
	}
	for _, name := range rebuilt {
		if _, ok := s.Table(name); !ok {
			continue // dropped later in the revision
		}
		add(name)
		for _, n := range referencing(s, name) {
			add(n)
		}
	}
	stmts := make([]string, len(names))
	for i, n := range names {
		stmts[i] = fmt.Sprintf("PRAGMA foreign_key_check(%s)", quote(n))
	}
	return stmts
}

// referencing returns the other tables with a foreign key to the table
// called name, in schema order.
func referencing(s *schema.Schema, name string) []string {
	var out []string
	for _, t := range s.Tables {
		if t.Name != name && slices.ContainsFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return strings.EqualFold(fk.RefTable, name) }) {
			out = append(out, t.Name)
		}
	}
	return out
}
