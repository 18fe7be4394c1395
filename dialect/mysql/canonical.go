package mysql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/strata-go/strata/schema"
)

// Canonical rewrites s, a schema from another source (Go models, a schema
// file), into what Inspect reports once s has been rendered and applied:
//
//   - types as the server stores them (canonicalType): a
//     TimeType{Timestamp, WithZone: true} becomes DATETIME(p), that is
//     TimeType{Timestamp, Precision: p} with WithZone off, because MySQL's
//     TIMESTAMP ends in 2038; TEXT stays StringType{}, BLOB BinaryType{};
//   - defaults as the server prints them (canonicalDefault): false and
//     true as 0 and 1, decimals padded to their scale, strings re-quoted,
//     CURRENT_TIMESTAMP spelled one way, NULL as none; an AUTO_INCREMENT
//     column has no default;
//   - primary key columns NOT NULL and the key unnamed (MySQL calls every
//     primary key PRIMARY);
//   - foreign key actions RESTRICT and NO ACTION as the default "" (InnoDB
//     treats them alike and MariaDB reports RESTRICT for an FK declared
//     without one); missing referenced columns filled in from the
//     referenced table's primary key;
//   - the index InnoDB creates for a foreign key whose columns lead no
//     index yet, named as the server names it (see fkIndexes); unnamed
//     indexes named after their first column, as the server names them.
//
// Table and column comments stay: MySQL keeps them. Normalize runs last.
func (d *Dialect) Canonical(s *schema.Schema) {
	s.Name = ""
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			c.Type = canonicalType(c.Type)
			c.Default = canonicalDefault(c.Type, c.Default)
			if c.AutoIncrement {
				c.Default = nil
			}
		}
		if t.PrimaryKey != nil {
			t.PrimaryKey.Name = ""
			for _, name := range t.PrimaryKey.Columns {
				if c, ok := t.Column(name); ok {
					c.Nullable = false
				}
			}
		}
		for _, fk := range t.ForeignKeys {
			fk.OnDelete = canonicalAction(fk.OnDelete)
			fk.OnUpdate = canonicalAction(fk.OnUpdate)
			if len(fk.RefColumns) == 0 {
				if ref, ok := s.Table(fk.RefTable); ok && ref.PrimaryKey != nil {
					fk.RefColumns = slices.Clone(ref.PrimaryKey.Columns)
				}
			}
		}
		for _, ix := range t.Indexes {
			if cols := ix.ColumnNames(); ix.Name == "" && len(cols) > 0 {
				ix.Name = freeIndexName(t, cols[0])
			}
		}
		t.Indexes = append(t.Indexes, fkIndexes(t)...)
	}
	s.Normalize()
}

// canonicalAction spells a referential action as Inspect reports it.
func canonicalAction(a string) string {
	a = strings.Join(strings.Fields(strings.ToUpper(a)), " ")
	if a == "RESTRICT" || a == "NO ACTION" {
		return ""
	}
	return a
}

// fkIndexes returns the indexes InnoDB creates on its own when t is
// created: one for each foreign key whose columns do not lead the primary
// key or an index (in order), named after the constraint, or after the
// first column when the constraint is unnamed (a_2, a_3... on a clash),
// as both MySQL 8 and MariaDB do. Inspect reports these like any other
// index, so Canonical adds them for the two to compare equal; rendering a
// table copied from Inspect puts them back as ordinary indexes, which the
// foreign key then uses instead of making its own.
//
// After the table exists, the server drops such an index by itself when a
// new index covering the foreign key arrives, and refuses to drop the last
// index covering one; Render's DropIndex handles the latter (see
// dropIndex).
func fkIndexes(t *schema.Table) []*schema.Index {
	var added []*schema.Index
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) == 0 || supported(t, added, fk.Columns) {
			continue
		}
		name := fk.Name
		if name == "" {
			name = freeIndexName(t, fk.Columns[0], added...)
		}
		added = append(added, &schema.Index{Name: name, Parts: schema.Columns(fk.Columns...)})
	}
	return added
}

// supported reports whether cols lead the primary key or an index of t
// (or one of extra), so that a foreign key on cols needs no index of its
// own.
func supported(t *schema.Table, extra []*schema.Index, cols []string) bool {
	leads := func(ix []string) bool { return len(ix) >= len(cols) && slices.Equal(ix[:len(cols)], cols) }
	if t.PrimaryKey != nil && leads(t.PrimaryKey.Columns) {
		return true
	}
	for _, ix := range append(slices.Clone(t.Indexes), extra...) {
		if leads(ix.ColumnNames()) {
			return true
		}
	}
	return false
}

// freeIndexName returns base, or base_2, base_3... when an index of t (or
// of extra) has that name already, as the server names unnamed indexes.
func freeIndexName(t *schema.Table, base string, extra ...*schema.Index) string {
	taken := func(name string) bool {
		if strings.EqualFold(name, "PRIMARY") {
			return true
		}
		for _, ix := range append(slices.Clone(t.Indexes), extra...) {
			if strings.EqualFold(ix.Name, name) {
				return true
			}
		}
		return false
	}
	name := base
	for i := 2; taken(name); i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}
