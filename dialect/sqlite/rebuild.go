package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// The table rebuild follows the procedure SQLite documents for changes
// ALTER TABLE cannot make (https://sqlite.org/lang_altertable.html#otheralter),
// as far as it applies inside the revision's transaction:
//
//   - Steps 1 and 12 (PRAGMA foreign_keys=OFF before the transaction, ON
//     after) cannot run inside a transaction, where that pragma is a no-op.
//     With foreign keys on, dropping the old table would delete its rows
//     first and fire the ON DELETE actions of the tables referencing it,
//     so a rebuild of a referenced table first checks that foreign keys
//     are off and fails otherwise (a guard, below). strata's SQLite URLs
//     leave them off unless asked.
//   - Step 3 (remember the table's indexes, triggers and views) happens at
//     render time from the schema: indexes and triggers are recreated
//     from it, and the views that use the table (directly or through
//     other views) are dropped before and created again after, with
//     their triggers, since the rename would fail on a view that names a
//     missing table. Triggers the schema does not know (a database
//     changed behind strata's back) cannot be read and replayed by SQL:
//     run by strata (the dialect's Exec), the guard's statement first
//     saves them, and a marker statement after the rename creates them
//     again. Run as plain SQL (offline output applied by hand), the guard
//     fails, naming the table, when it has such triggers: they are never
//     lost silently.
//   - Steps 4 to 8: create the new table under a temporary name, copy the
//     rows, drop the old table, rename the new one, recreate indexes.
//   - Step 10: PRAGMA foreign_key_check on the table and on each table
//     that references it, last. It fails on a foreign key that no longer
//     matches a unique key of its parent ("foreign key mismatch"), but it
//     returns rows that violate a key rather than failing, so a runner
//     that only executes statements does not stop on those.
//
// A failure anywhere rolls back with the transaction and leaves the old
// table as it was.

// guardTable is the temporary table whose CHECK constraints stop a
// rebuild that would lose triggers or fire foreign key actions; SQLite
// reports a failed CHECK by the constraint's name, so the names say why.
// The statements after its CREATE TEMP TABLE name it (and seqTable)
// without the temp. schema: SQLite looks a bare name up in temp first,
// and sqlc, which reads migration files, knows no schema called temp.
const guardTable = "_strata_rebuild_guard"

// seqTable keeps a table's AUTOINCREMENT counter across its rebuild.
const seqTable = "_strata_rebuild_seq"

// hasKeyword reports whether the table called name has an AUTOINCREMENT
// column in s.
func hasKeyword(s *schema.Schema, name string) bool {
	t, ok := s.Table(name)
	if !ok {
		return false
	}
	c := aliasColumn(t)
	return c != nil && c.Identity == schema.IdentityKeyword
}

// rebuildWith renders o, which changes table name in a way ALTER TABLE
// cannot, as a rebuild: the table after o, with every column it keeps
// copied.
func rebuildWith(current *schema.Schema, name string, o op.Op) ([]string, error) {
	t, err := tableOf(current, name)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", o, err)
	}
	after := t.Clone()
	if err := o.Apply(&schema.Schema{Tables: []*schema.Table{after}}); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return rebuild(current, after, copyAll(t, after)), nil
}

// copyAll maps each column of after that before has, and that is not
// generated, to itself: the columns a rebuild copies.
func copyAll(before, after *schema.Table) map[string]string {
	sources := map[string]string{}
	for _, c := range after.Columns {
		if old, ok := before.Column(c.Name); ok && old.Generated.Expr == "" && c.Generated.Expr == "" {
			sources[c.Name] = c.Name
		}
	}
	return sources
}

// rebuild returns the statements that turn the table after.Name of
// current into after. sources maps each column of after that is copied
// to the column of the old table it is copied from; the others take
// their defaults (or are computed, if generated).
func rebuild(current *schema.Schema, after *schema.Table, sources map[string]string) []string {
	name := after.Name
	tmp := "_strata_new_" + name
	var to, from []string
	for _, c := range after.Columns {
		if src, ok := sources[c.Name]; ok {
			to, from = append(to, quote(c.Name)), append(from, quote(src))
		}
	}
	views := viewsUsing(current, name)
	stmts := guard(current, name, after.Triggers)
	for i := len(views) - 1; i >= 0; i-- {
		stmts = append(stmts, "DROP VIEW "+quote(views[i].Name))
	}
	keepSeq := hasKeyword(current, name) && hasKeyword(&schema.Schema{Tables: []*schema.Table{after}}, name)
	if keepSeq {
		// DROP TABLE forgets the table's AUTOINCREMENT high-water mark, and
		// the copy only records the largest id left: keep the mark, so that
		// ids of deleted rows are still never reused.
		stmts = append(stmts, fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT seq FROM sqlite_sequence WHERE name = %s", quote(seqTable), quoteString(name)))
	}
	stmts = append(stmts,
		createTable(tmp, after),
		fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", quote(tmp), strings.Join(to, ", "), strings.Join(from, ", "), quote(name)),
		"DROP TABLE "+quote(name),
		fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quote(tmp), quote(name)),
	)
	if keepSeq {
		stmts = append(stmts,
			fmt.Sprintf("DELETE FROM sqlite_sequence WHERE name = %s", quoteString(name)),
			fmt.Sprintf("INSERT INTO sqlite_sequence (name, seq) SELECT %s, max(coalesce((SELECT max(seq) FROM %s), 0), coalesce((SELECT max(rowid) FROM %s), 0))",
				quoteString(name), quote(seqTable), quote(name)),
			"DROP TABLE "+quote(seqTable),
		)
	}
	for _, ix := range after.Indexes {
		if !isUniqueConstraint(ix) {
			stmts = append(stmts, createIndex(name, ix))
		}
	}
	for _, v := range views {
		stmts = append(stmts, createView(v))
		stmts = append(stmts, createTriggers(v.Triggers)...)
	}
	stmts = append(stmts, createTriggers(after.Triggers)...)
	stmts = append(stmts, fmt.Sprintf("SELECT %s AS %s", quoteString(name), quote(restoreTriggersMark)))
	// The check covers the table's own keys and those of the tables that
	// reference it: a rebuild that drops a key they need makes them fail
	// with "foreign key mismatch".
	for _, n := range append([]string{name}, referencing(current, name)...) {
		stmts = append(stmts, fmt.Sprintf("PRAGMA foreign_key_check(%s)", quote(n)))
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

// guard returns the statements that fail, before anything changes, when
// the table has triggers other than known (which dropping it would take
// along, and the rebuild creates again) or when it is referenced by a
// foreign key while foreign keys are on.
func guard(current *schema.Schema, name string, known []*schema.Trigger) []string {
	fkCheck := "0"
	if referenced(current, name) {
		fkCheck = "(SELECT foreign_keys FROM pragma_foreign_keys)"
	}
	triggers := fmt.Sprintf("strata: table %s has triggers, which rebuilding it would drop; drop them before this change and create them again after it", name)
	fks := fmt.Sprintf("strata: foreign keys are on, and rebuilding table %s, which other tables reference, would delete their rows or fail; run this migration with PRAGMA foreign_keys=OFF", name)
	return []string{
		fmt.Sprintf("CREATE TEMP TABLE %s (triggers INTEGER CONSTRAINT %s CHECK (triggers = 0), fks INTEGER CONSTRAINT %s CHECK (fks = 0))",
			quote(guardTable), quote(triggers), quote(fks)),
		saveTriggersMark + fmt.Sprintf("INSERT INTO %s VALUES (%s, %s)",
			quote(guardTable), triggerCount(name, known), fkCheck),
		"DROP TABLE " + quote(guardTable),
	}
}

// triggerCount is the guard's count of the table's triggers that are
// not known. Exec saves the triggers it counts (keepTriggers).
func triggerCount(name string, known []*schema.Trigger) string {
	s := triggerCountHead + fmt.Sprintf("tbl_name = %s COLLATE NOCASE", quoteString(name))
	if len(known) > 0 {
		names := make([]string, len(known))
		for i, tr := range known {
			names[i] = quoteString(tr.Name)
		}
		s += " AND name NOT IN (" + strings.Join(names, ", ") + ")"
	}
	return s + ")"
}

// triggerCountHead starts triggerCount's subquery.
const triggerCountHead = "(SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND "

// referenced reports whether a foreign key of any table, the table itself
// included, points at the table called name.
func referenced(s *schema.Schema, name string) bool {
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			if strings.EqualFold(fk.RefTable, name) {
				return true
			}
		}
	}
	return false
}

// viewsUsing returns the views that name the table, directly or through
// other views, in the order they can be created again.
func viewsUsing(s *schema.Schema, table string) []*schema.View {
	var out []*schema.View
	uses := func(v *schema.View) bool {
		if mentions(v.Def, table) {
			return true
		}
		return slices.ContainsFunc(out, func(o *schema.View) bool { return mentions(v.Def, o.Name) })
	}
	for changed := true; changed; {
		changed = false
		for _, v := range s.Views {
			if !slices.Contains(out, v) && uses(v) {
				out = append(out, v)
				changed = true
			}
		}
	}
	return out
}
