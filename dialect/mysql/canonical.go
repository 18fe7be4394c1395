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
//     a column of a named enum type (schema.EnumType) becomes the inline
//     ENUM of the values s.Enums gives it, and s.Enums is emptied, since
//     MySQL has no enum types;
//   - defaults as the server prints them (canonicalDefault): false and
//     true as 0 and 1, decimals padded to their scale, strings re-quoted,
//     CURRENT_TIMESTAMP spelled one way, NULL as none; an AUTO_INCREMENT
//     or generated column has no default; ON UPDATE spelled as defaults
//     are; Identity dropped (MySQL has one kind, AUTO_INCREMENT);
//   - generated expressions, check clauses and functional key parts
//     without enclosing parentheses or charset introducers, and view
//     definitions trimmed (see expr.go: strata does not reformat SQL, so
//     these compare equal to the server's only when written as it prints
//     them, as a schema read by Inspect is); generated columns nullable on
//     MariaDB, which has no NOT NULL for them;
//   - collations, charsets in lower case; table charset and collation
//     left out where they are the database's defaults (see
//     canonicalTableOptions); a column collation equal to the table's
//     dropped; the table's Engine dropped when it is the server's
//     default (InnoDB for a zero Dialect) and spelled as the server spells
//     it (InnoDB, MyISAM, MEMORY, Aria...); other table options
//     (Options) spelled and ordered as canonicalOptions does;
//   - the primary key columns NOT NULL and the key named PRIMARY (MySQL
//     names every primary key so);
//   - foreign key actions RESTRICT and NO ACTION as the default "" (InnoDB
//     treats them alike and MariaDB reports RESTRICT for an FK declared
//     without one); missing referenced columns filled in from the
//     referenced table's primary key; DEFERRABLE dropped, as MySQL has
//     none (Render ignores it);
//   - indexes never marked Constraint (the server keeps no such
//     difference); methods upper case, the engine's default (BTREE, HASH
//     on MEMORY) as "" (other HASH is kept: MariaDB reports it for a long
//     UNIQUE key on InnoDB, though InnoDB on MySQL builds a B-tree for
//     USING HASH); DESC dropped on
//     servers that ignore it; the index InnoDB creates for a foreign key
//     whose columns lead no index yet, named as the server names it (see
//     fkIndexes); unnamed indexes named after their first column, as the
//     server names them.
//
// Partial indexes (Index.Where) are kept, so that a diff shows them, and
// Render refuses them. Table and column comments stay: MySQL keeps them.
// Normalize runs last.
func (d *Dialect) Canonical(s *schema.Schema) {
	s.Name = ""
	// MySQL places columns (AFTER, FIRST): their order is the schema's.
	s.Ordered = true
	for _, t := range s.Tables {
		t.Engine = d.canonicalEngine(t.Engine)
		t.Options = canonicalOptions(t.Options)
		tableCollation := d.canonicalTableOptions(t)
		for _, c := range t.Columns {
			if e, ok := c.Type.(schema.EnumType); ok {
				if en, ok := s.Enum(e.Name); ok {
					c.Type = schema.RawType{SQL: enumType(en.Values)}
				}
			}
			c.Type = canonicalType(c.Type)
			c.Default = canonicalDefault(c.Type, c.Default)
			c.Identity = ""
			c.Collation = strings.ToLower(c.Collation)
			if c.Collation != "" && c.Collation == tableCollation {
				c.Collation = ""
			}
			if c.OnUpdate != "" {
				if e, ok := canonicalExpr(c.OnUpdate).(schema.Expr); ok {
					c.OnUpdate = e.SQL
				}
			}
			if c.AutoIncrement {
				c.Default = nil
			}
			if c.Generated.Expr != "" {
				c.Generated.Expr = normalizeExpr(c.Generated.Expr)
				c.Default = nil
				if d.server.mariaDB {
					c.Nullable = true
				}
			}
		}
		if t.PrimaryKey != nil {
			t.PrimaryKey.Name = "PRIMARY"
			for _, name := range t.PrimaryKey.Columns {
				if c, ok := t.Column(name); ok {
					c.Nullable = false
				}
			}
		}
		for _, ck := range t.Checks {
			ck.Expr = normalizeCheck(quoteColumns(normalizeExpr(ck.Expr), func(name string) bool {
				_, ok := columnFold(t, name)
				return ok
			}))
		}
		for _, fk := range t.ForeignKeys {
			fk.OnDelete = canonicalAction(fk.OnDelete)
			fk.OnUpdate = canonicalAction(fk.OnUpdate)
			fk.Deferrable, fk.InitiallyDeferred = false, false
			if len(fk.RefColumns) == 0 {
				if ref, ok := s.Table(fk.RefTable); ok && ref.PrimaryKey != nil {
					fk.RefColumns = slices.Clone(ref.PrimaryKey.Columns)
				}
			}
		}
		for _, ix := range t.Indexes {
			ix.Constraint = false
			ix.Method = strings.ToUpper(ix.Method)
			if ix.Method == defaultIndexType(t.Engine, d.server.defaultEngine()) {
				ix.Method = ""
			}
			for i := range ix.Parts {
				p := &ix.Parts[i]
				if p.Expr != "" {
					p.Expr = normalizeExpr(p.Expr)
				}
				if !d.server.keepsDesc() {
					p.Desc = false
				}
			}
			if cols := ix.ColumnNames(); ix.Name == "" && len(cols) > 0 {
				ix.Name = freeIndexName(t, cols[0])
			}
		}
		t.Indexes = append(t.Indexes, fkIndexes(t)...)
	}
	s.Enums = nil
	for _, v := range s.Views {
		v.Def = strings.TrimSuffix(strings.TrimSpace(v.Def), ";")
	}
	s.Normalize()
}

// canonicalTableOptions spells t's Charset and Collation as Inspect
// reports them: Charset only where it is not the database's, Collation
// only where it is not the one the table would get without COLLATE= (the
// database's for the database's charset, else the charset's default); a
// Collation alone implies its charset. It needs the database's defaults,
// which New probes; a zero Dialect only lower-cases. It returns the
// table's collation in effect, "" when unknown.
func (d *Dialect) canonicalTableOptions(t *schema.Table) string {
	t.Charset = strings.ToLower(t.Charset)
	t.Collation = strings.ToLower(t.Collation)
	srv := d.server
	if t.Charset == "" && t.Collation != "" {
		t.Charset, _, _ = strings.Cut(t.Collation, "_")
	}
	if t.Charset == "utf8" {
		t.Charset = "utf8mb3"
	}
	if strings.HasPrefix(t.Collation, "utf8_") {
		t.Collation = "utf8mb3_" + strings.TrimPrefix(t.Collation, "utf8_")
	}
	if srv.charset == "" {
		if t.Collation != "" {
			return t.Collation
		}
		return ""
	}
	if t.Charset == srv.charset {
		t.Charset = ""
	}
	implied := srv.collation
	if t.Charset != "" {
		implied = srv.charsetDefault(t.Charset)
	}
	effective := t.Collation
	if effective == "" {
		effective = implied
	}
	if t.Collation == implied {
		t.Collation = ""
	}
	return effective
}

// enumType spells an inline ENUM of values as the server reports it.
func enumType(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quoteString(v)
	}
	return "enum(" + strings.Join(q, ",") + ")"
}

// engines spells the storage engines as the server reports them.
var engines = []string{"InnoDB", "MyISAM", "MEMORY", "Aria", "CSV", "ARCHIVE", "BLACKHOLE", "MRG_MyISAM", "ROCKSDB", "ColumnStore", "FEDERATED", "SEQUENCE"}

// canonicalEngine spells e as the server does, or "" for the default.
func (d *Dialect) canonicalEngine(e string) string {
	if i := slices.IndexFunc(engines, func(known string) bool { return strings.EqualFold(known, e) }); i >= 0 {
		e = engines[i]
	}
	if strings.EqualFold(e, d.server.defaultEngine()) {
		return ""
	}
	return e
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
	if t.PrimaryKey != nil && leads(cols, t.PrimaryKey.Columns) {
		return true
	}
	for _, ixs := range [][]*schema.Index{t.Indexes, extra} {
		for _, ix := range ixs {
			// FULLTEXT and SPATIAL serve no foreign key; of the others only
			// whole columns, up to the first prefix or expression, count.
			if ix.Method != "FULLTEXT" && ix.Method != "SPATIAL" && leads(cols, wholeLead(ix)) {
				return true
			}
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

// columnFold finds t's column named name in any case, as MySQL's column
// names are.
func columnFold(t *schema.Table, name string) (*schema.Column, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return nil, false
}
