package mysql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/schema"
)

// InnoDB keeps indexes for foreign keys by rules of its own, which Render
// follows so that what it renders ends where op.Apply says:
//
//   - a foreign key needs an index that leads with its columns; when none
//     exists, ADD FOREIGN KEY (or CREATE TABLE) generates one, named after
//     the constraint (after the first column for an unnamed key in CREATE
//     TABLE), and the server refuses to drop the last such index;
//   - a generated index is dropped by the server, without a word, as soon
//     as any new key (index, unique key, primary key, or a new foreign
//     key's generated index) begins with its columns, and nothing in
//     information_schema tells a generated index from one created on
//     purpose;
//   - the referenced table needs an index that leads with the referenced
//     columns too, so that its primary key or such an index cannot be
//     dropped while a foreign key uses it.
//
// Render answers each in the statement concerned:
//
//   - an index whose columns begin a new key, and which the server may have
//     generated, is dropped and added again in the statement that adds the
//     key: made on purpose, it stays (keepGenerated);
//   - dropping the last index of a foreign key adds in its place the index
//     fkIndexes names, an ordinary one (placeholder); the statement that
//     later brings a key the foreign key can use drops the placeholder
//     again (placeholders). In the schema that Render follows, a foreign
//     key without an index of its own table thus always has one of the
//     name fkIndexes gives on the server (that placeholder, or the index
//     InnoDB generated);
//   - dropping the primary key or index that foreign keys of any table
//     reference drops those foreign keys first; the statement that brings
//     back a key they can use adds them again (referencing). In the
//     schema Render follows, a foreign key whose referenced table has no
//     index for it does not exist on the server, and DropForeignKey
//     renders nothing for it (diff.Schemas drops foreign keys before
//     keys, so this only meets hand-written ops).

// plainIndex reports whether ix has the shape of an index InnoDB generates
// for a foreign key: not unique, the default method, whole ascending
// columns.
func plainIndex(ix *schema.Index) bool {
	if ix.Unique || ix.Method != "" || ix.Where != "" || len(ix.Parts) == 0 {
		return false
	}
	for _, p := range ix.Parts {
		if p.Column == "" || p.Prefix > 0 || p.Desc {
			return false
		}
	}
	return true
}

// leads reports whether prefix is the beginning of cols (or all of it).
func leads(prefix, cols []string) bool {
	return len(prefix) > 0 && len(prefix) <= len(cols) && slices.Equal(prefix, cols[:len(prefix)])
}

// keepGenerated returns the clauses that drop and add again, as ordinary
// indexes, the indexes of t that the server would drop by itself when a
// key on cols arrives in the same statement: those that may be generated
// (plainIndex) and whose columns begin cols. The index named except is
// left alone: the one being made, or the one a new foreign key of that
// name on exactly cols would generate again the same. It costs rebuilding
// those indexes, which only exist where an index is redundant with the new
// key, or beside a foreign key being added (a table copy on InnoDB).
//
// An index added again goes after the others of its kind, so the ones of
// its kind that came after it (but those named in skip, which the
// statement drops) are added again after it, keeping the table's order of
// indexes (see schema.Schema.Ordered).
func (d *Dialect) keepGenerated(t *schema.Table, cols []string, except string, skip ...string) ([]string, error) {
	if t == nil {
		return nil, nil
	}
	var clauses []string
	first := -1
	for i, ix := range t.Indexes {
		if ix.Name == except && slices.Equal(ix.ColumnNames(), cols) || !plainIndex(ix) || !leads(ix.ColumnNames(), cols) {
			continue
		}
		first = i
		break
	}
	if first < 0 {
		return nil, nil
	}
	kind := t.Indexes[first].Kind()
	for _, ix := range t.Indexes[first:] {
		if ix.Kind() != kind || slices.Contains(skip, ix.Name) || ix.Name == except && slices.Equal(ix.ColumnNames(), cols) {
			continue
		}
		def, err := d.indexDef(ix)
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, "DROP INDEX "+quote(ix.Name), "ADD "+def)
	}
	return clauses, nil
}

// placeholders compares the foreign keys of a table without an index
// before and after a change: added are the indexes to add (those fkIndexes
// names for keys that lose their last index), dropped those no longer
// needed (placeholders of keys that have an index again).
func placeholders(before, after *schema.Table) (added, dropped []*schema.Index) {
	was, is := fkIndexes(before), fkIndexes(after)
	samePartsIn := func(list []*schema.Index) func(*schema.Index) bool {
		return func(ix *schema.Index) bool {
			return slices.ContainsFunc(list, func(o *schema.Index) bool { return slices.Equal(o.Parts, ix.Parts) })
		}
	}
	added = slices.DeleteFunc(slices.Clone(is), samePartsIn(was))
	dropped = slices.DeleteFunc(slices.Clone(was), samePartsIn(is))
	return added, dropped
}

// fkRef is a foreign key and the table it belongs to.
type fkRef struct {
	table *schema.Table
	fk    *schema.ForeignKey
}

// referencing returns the foreign keys of current, on any table, that point
// at the table before (which becomes after) and whose referenced columns
// have an index in before but none in after (lost), or none in before but
// one in after (regained).
func referencing(current *schema.Schema, before, after *schema.Table) (lost, regained []fkRef) {
	if current == nil || before == nil {
		return nil, nil
	}
	for _, t := range current.Tables {
		if t.Name == before.Name {
			t = before
		}
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != before.Name || len(fk.RefColumns) == 0 {
				continue
			}
			had, has := supported(before, nil, fk.RefColumns), supported(after, nil, fk.RefColumns)
			switch {
			case had && !has:
				lost = append(lost, fkRef{t, fk})
			case !had && has:
				regained = append(regained, fkRef{t, fk})
			}
		}
	}
	return lost, regained
}

// absent reports whether fk, a foreign key of current, is one the server
// does not hold because its referenced table has no index for it (see
// referencing): Render dropped it with its key, until a key it can use
// comes.
func absent(current *schema.Schema, fk *schema.ForeignKey) bool {
	ref, ok := tableIn(current, fk.RefTable)
	if !ok || len(fk.RefColumns) == 0 {
		return false
	}
	return !supported(ref, nil, fk.RefColumns)
}

// dropForeignKeys renders dropping the foreign keys refs.
func dropForeignKeys(refs []fkRef) []string {
	var stmts []string
	for _, r := range refs {
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s DROP FOREIGN KEY %s", quote(r.table.Name), quote(r.fk.Name)))
	}
	return stmts
}

// addForeignKeys renders adding the foreign keys refs (see addForeignKey).
func (d *Dialect) addForeignKeys(refs []fkRef) ([]string, error) {
	var stmts []string
	for _, r := range refs {
		s, err := d.addForeignKey(r.table, r.table.Name, r.fk)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	}
	return stmts, nil
}

// addForeignKey renders adding fk to the table named table, t as it stands
// (nil when unknown), keeping the indexes the key's generated index would
// replace (see keepGenerated).
func (d *Dialect) addForeignKey(t *schema.Table, table string, fk *schema.ForeignKey) (string, error) {
	if len(fk.RefColumns) == 0 {
		return "", fmt.Errorf("the foreign key names no referenced columns")
	}
	clauses, err := d.keepGenerated(t, fk.Columns, fk.Name)
	if err != nil {
		return "", err
	}
	clauses = append(clauses, "ADD "+foreignKeyDef(fk))
	return fmt.Sprintf("ALTER TABLE %s %s", quote(table), strings.Join(clauses, ", ")), nil
}
