package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/schema"
)

// SQLite keeps each CREATE statement as the user wrote it, and
// applications read it back: the declared types (drivers scan by them),
// sqlite_schema's text. Inspect keeps that text as the Source of each
// table, index and view, with a key of the model read from it; rendering
// writes the text again, in place of a statement of its own, while the
// object's model still has that key (the object did not change since).
// A table created from a schema file thus reads exactly as the user's
// own statement made it, and a table dropped by a migration comes back
// by its downgrade as it was.
//
// A rebuild writes its new table with createTable too. It gets the
// user's text when the table it builds carries the desired table's
// Source (the schema file's, or for a downgrade the database's as it
// was): createTable uses the text only if the key still matches, so
// giving it is always safe. Under another name (a new table made beside
// the old one), the name in the text is replaced; SQLite's ALTER TABLE
// RENAME then writes the name double-quoted, so only a new table created
// under its final name reads exactly as the user wrote it.

// tableKey is the fingerprint of what a CREATE TABLE of t says: its
// name, columns in order, primary key, UNIQUE constraints, checks,
// foreign keys and options, not its indexes and triggers, which have
// statements of their own.
func tableKey(t *schema.Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %q\n", t.Name)
	for _, c := range t.Columns {
		fmt.Fprintf(&b, "col %#v\n", *c)
	}
	if t.PrimaryKey != nil {
		fmt.Fprintf(&b, "pk %q\n", t.PrimaryKey.Columns)
	}
	var cons []string
	for _, ix := range t.Indexes {
		if isUniqueConstraint(ix) {
			cons = append(cons, fmt.Sprintf("unique %#v %q", ix.Parts, ix.Where))
		}
	}
	for _, ck := range t.Checks {
		cons = append(cons, fmt.Sprintf("check %q %q", ck.Name, ck.Expr))
	}
	for _, fk := range t.ForeignKeys {
		cons = append(cons, fmt.Sprintf("fk %q %s", fk.Name, schema.FKString(fk)))
	}
	slices.Sort(cons)
	for _, c := range cons {
		b.WriteString(c + "\n")
	}
	fmt.Fprintf(&b, "options %t %t", t.WithoutRowID, t.Strict)
	return b.String()
}

// indexKey is the fingerprint of what a CREATE INDEX of ix on table says.
func indexKey(table string, ix *schema.Index) string {
	cp := *ix
	cp.Source = nil
	return fmt.Sprintf("%s %#v", table, cp)
}

// viewKey is the fingerprint of what a CREATE VIEW of v says.
func viewKey(v *schema.View) string { return v.Name + "\x00" + v.Def }

// tableSource returns the user's CREATE TABLE of t, under name (a
// rebuild creates the new table under a name of its own first), when t
// still is what it says.
func tableSource(name string, t *schema.Table) (string, bool) {
	if t.Source == nil || t.Source.Text == "" || t.Source.Key != tableKey(t) {
		return "", false
	}
	text := t.Source.Text
	if name == t.Name {
		return text, true
	}
	// The name runs from the word after TABLE to the parenthesis that
	// opens the columns (schema-qualified, maybe).
	toks := tokenize(text)
	start, end := -1, -1
	for i, tok := range toks {
		if tok.is("TABLE") && start < 0 {
			start = i + 1
			continue
		}
		if start >= 0 && tok.isPunct("(") {
			end = i
			break
		}
	}
	if start < 0 || end <= start {
		return "", false
	}
	last := toks[end-1]
	return text[:toks[start].pos] + quote(name) + " " + strings.TrimLeft(text[last.pos+len(last.text):], " "), true
}

// indexSource returns the user's CREATE INDEX of ix on table when ix
// still is what it says.
func indexSource(table string, ix *schema.Index) (string, bool) {
	if ix.Source == nil || ix.Source.Text == "" || ix.Source.Key != indexKey(table, ix) {
		return "", false
	}
	return ix.Source.Text, true
}

// viewSource returns the user's CREATE VIEW of v when v still is what it
// says.
func viewSource(v *schema.View) (string, bool) {
	if v.Source == nil || v.Source.Text == "" || v.Source.Key != viewKey(v) {
		return "", false
	}
	return v.Source.Text, true
}
