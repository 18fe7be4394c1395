package schema

import (
	"cmp"
	"slices"
	"strings"
)

// Schema is one database schema: its tables, in name order once normalized.
type Schema struct {
	// Name is the schema's name where the database has schemas
	// (PostgreSQL); empty elsewhere.
	Name   string
	Tables []*Table
	// Views are compared by name and definition, as the database reports
	// the definition.
	Views []*View
	// Enums are named enum types (PostgreSQL's CREATE TYPE … AS ENUM).
	Enums []*Enum
	// Extensions are the extensions installed in the schema (PostgreSQL).
	Extensions []*Extension
	// Functions are the schema's stored functions and procedures, by Key
	// once normalized.
	Functions []*Function
	// Ordered says that the order of each table's columns and indexes is
	// part of the schema, because the database keeps the order they were
	// declared in and can place a column anywhere (MySQL: AFTER and FIRST,
	// and SHOW CREATE TABLE lists indexes by kind, then in the order they
	// were made). diff then adds and moves columns to where the target has
	// them and makes indexes again to reproduce its order; Normalize keeps
	// the indexes' order rather than sorting them by name; Differences
	// reports either order when both schemas say so. The MySQL dialect's
	// Inspect and Canonical set it.
	Ordered bool
	// Sequences, Domains and CompositeTypes are PostgreSQL's standalone
	// sequences, domains and composite types, by name once normalized.
	Sequences      []*Sequence
	Domains        []*Domain
	CompositeTypes []*CompositeType
	// Unmanaged are the objects inspection found that strata does not
	// model, by kind, table and name once normalized.
	Unmanaged []Unmanaged
}

// View is a view: its name and its SELECT, as the database reports it,
// and its triggers (INSTEAD OF). A materialized view (PostgreSQL) has
// Materialized set, and its indexes.
type View struct {
	Name     string     `json:"name"`
	Def      string     `json:"def"`
	Triggers []*Trigger `json:"triggers,omitempty"`
	// Source is the view's definition as the user wrote it, where the
	// database keeps it (SQLite); never compared.
	Source *Source `json:"-"`
	// Comment is the view's comment (PostgreSQL).
	Comment      string       `json:"comment,omitempty"`
	Materialized bool         `json:"materialized,omitempty"`
	Indexes      []*ViewIndex `json:"indexes,omitempty"`
	// NoData marks a materialized view created WITH NO DATA and not
	// refreshed since.
	NoData bool `json:"no_data,omitempty"`
}

// Source is the text of an object's definition as the user wrote it, where
// the database keeps that text (SQLite's sqlite_schema.sql), with the key
// of the model it was read into: a dialect that creates the object again
// writes Text only while the object's model still has that key, so that
// the object reads the same as the user's own statement made it. Sources
// are never compared: two objects that differ only in their text are
// equal.
type Source struct {
	Text string
	// Key is the dialect's fingerprint of the model read from Text.
	Key string
}

// Enum is a named enum type with its values in order.
type Enum struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
	// Comment is the type's comment.
	Comment string `json:"comment,omitempty"`
}

// View returns the view called name.
func (s *Schema) View(name string) (*View, bool) {
	for _, v := range s.Views {
		if v.Name == name {
			return v, true
		}
	}
	return nil, false
}

// Enum returns the enum type called name.
func (s *Schema) Enum(name string) (*Enum, bool) {
	for _, e := range s.Enums {
		if e.Name == name {
			return e, true
		}
	}
	return nil, false
}

// Table returns the table called name.
func (s *Schema) Table(name string) (*Table, bool) {
	for _, t := range s.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of s, so that callers can change it freely.
func (s *Schema) Clone() *Schema {
	if s == nil {
		return nil
	}
	cp := &Schema{
		Name:   s.Name,
		Tables: cloneEach(s.Tables, (*Table).Clone),
		Views:  cloneEach(s.Views, (*View).Clone),
		Enums: cloneEach(s.Enums, func(e *Enum) *Enum {
			return &Enum{Name: e.Name, Values: slices.Clone(e.Values), Comment: e.Comment}
		}),
		Extensions: cloneEach(s.Extensions, func(e *Extension) *Extension { cp := *e; return &cp }),
		Functions:  cloneEach(s.Functions, func(f *Function) *Function { cp := *f; return &cp }),
		Unmanaged:  slices.Clone(s.Unmanaged),

		Ordered: s.Ordered,
	}
	s.clonePG(cp)
	return cp
}

// Table is a table with its columns and constraints.
type Table struct {
	Name        string
	Columns     []*Column
	PrimaryKey  *PrimaryKey
	Indexes     []*Index
	ForeignKeys []*ForeignKey
	Checks      []*Check
	// Exclusions are PostgreSQL's exclusion constraints, by name once
	// normalized.
	Exclusions []*Exclusion
	// PartitionBy is a partitioned table's partition key as PostgreSQL
	// prints it ("RANGE (created_at)"), empty for a plain table;
	// Partitions are its partitions, by name once normalized.
	PartitionBy string
	Partitions  []*Partition
	// Triggers are the table's triggers, by name once normalized.
	Triggers []*Trigger
	Comment  string
	// Engine, Charset and Collation are MySQL's table options, empty where
	// they are the database's defaults.
	Engine, Charset, Collation string
	// WithoutRowID and Strict are SQLite's table options (WITHOUT ROWID,
	// STRICT). Changing either rebuilds the table.
	WithoutRowID, Strict bool
	// Source is the CREATE TABLE statement as the user wrote it, where the
	// database keeps it (SQLite); never compared.
	Source *Source
	// Options are MySQL's other table options that the table was given
	// (ROW_FORMAT, KEY_BLOCK_SIZE, STATS_PERSISTENT, MariaDB's engine
	// options such as `PAGE_COMPRESSED`…), as name=value words separated
	// by spaces, in the dialect's canonical spelling and order; empty for
	// none.
	Options string
	// Partition is MySQL's partitioning of the table: its PARTITION BY
	// clause in the dialect's canonical spelling; empty for none.
	Partition string
}

// TableAttrs are a table's own attributes, besides its columns and
// constraints.
type TableAttrs struct {
	Comment, Engine, Charset, Collation, Options, Partition string
	// WithoutRowID and Strict are SQLite's table options.
	WithoutRowID, Strict bool
}

// Attrs returns t's own attributes.
func (t *Table) Attrs() TableAttrs {
	return TableAttrs{Comment: t.Comment, Engine: t.Engine, Charset: t.Charset, Collation: t.Collation, Options: t.Options, Partition: t.Partition,
		WithoutRowID: t.WithoutRowID, Strict: t.Strict}
}

// SetAttrs sets t's own attributes.
func (t *Table) SetAttrs(a TableAttrs) {
	t.Comment, t.Engine, t.Charset, t.Collation, t.Options, t.Partition = a.Comment, a.Engine, a.Charset, a.Collation, a.Options, a.Partition
	t.WithoutRowID, t.Strict = a.WithoutRowID, a.Strict
}

// ForeignKey returns the foreign key called name.
func (t *Table) ForeignKey(name string) (*ForeignKey, bool) {
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return fk, true
		}
	}
	return nil, false
}

// Check returns the check constraint called name.
func (t *Table) Check(name string) (*Check, bool) {
	for _, c := range t.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// Column returns the column called name.
func (t *Table) Column(name string) (*Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// ColumnIndex returns the position of the column called name, or -1.
func (t *Table) ColumnIndex(name string) int {
	return slices.IndexFunc(t.Columns, func(c *Column) bool { return c.Name == name })
}

// Index returns the index called name.
func (t *Table) Index(name string) (*Index, bool) {
	for _, ix := range t.Indexes {
		if ix.Name == name {
			return ix, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of t. Nil slices stay nil, so that a clone
// is reflect.DeepEqual to t.
func (t *Table) Clone() *Table {
	if t == nil {
		return nil
	}
	c := *t
	c.Columns = cloneEach(t.Columns, (*Column).Clone)
	if t.PrimaryKey != nil {
		pk := *t.PrimaryKey
		pk.Columns = slices.Clone(pk.Columns)
		c.PrimaryKey = &pk
	}
	c.Indexes = cloneEach(t.Indexes, (*Index).Clone)
	c.Checks = cloneEach(t.Checks, func(ck *Check) *Check { cp := *ck; return &cp })
	c.Exclusions = cloneEach(t.Exclusions, func(x *Exclusion) *Exclusion { cp := *x; return &cp })
	c.Partitions = cloneEach(t.Partitions, func(p *Partition) *Partition { cp := *p; return &cp })
	c.ForeignKeys = cloneEach(t.ForeignKeys, func(fk *ForeignKey) *ForeignKey {
		cp := *fk
		cp.Columns = slices.Clone(fk.Columns)
		cp.RefColumns = slices.Clone(fk.RefColumns)
		return &cp
	})
	c.Triggers = cloneTriggers(t.Triggers)
	return &c
}

// cloneEach returns a new slice of clone(e) for each element e of s, nil
// when s is nil.
func cloneEach[E any](s []E, clone func(E) E) []E {
	if s == nil {
		return nil
	}
	out := make([]E, len(s))
	for i, e := range s {
		out[i] = clone(e)
	}
	return out
}

// Column is one column of a table.
type Column struct {
	Name string
	Type Type
	// DeclaredType is the type as the user declared it, where the database
	// keeps the declaration apart from the type it means (SQLite, whose
	// bigint, int and INTEGER all hold 64-bit integers): empty when the
	// type is all there is to say, as for a Go model. Two columns that
	// both have one differ when the declarations do, letter case and
	// white space aside (SameDeclaredType).
	DeclaredType string
	Nullable     bool
	// Default is the column's default, or nil for none.
	Default Default
	// AutoIncrement marks a column whose value the database assigns:
	// identity or serial on PostgreSQL, AUTO_INCREMENT on MySQL, the rowid
	// alias on SQLite.
	AutoIncrement bool
	// Identity says which kind of auto increment, where a database has
	// several: "" for the dialect's usual one (PostgreSQL's GENERATED BY
	// DEFAULT AS IDENTITY, SQLite's rowid alias), IdentityAlways,
	// IdentitySerial or IdentityKeyword.
	Identity string
	// Sequence holds the options of the sequence behind an identity or
	// serial column that are not the defaults for its type, as
	// PostgreSQL's sequence options in a fixed order (AS type, START WITH,
	// INCREMENT BY, MINVALUE, MAXVALUE, CACHE, CYCLE), e.g. "START WITH
	// 100 INCREMENT BY 10"; empty when all are the defaults.
	Sequence string
	// Generated is set for a column computed from others.
	Generated Generated
	// Collation is set where it differs from the table's.
	Collation string
	// OnUpdate is MySQL's ON UPDATE expression, such as CURRENT_TIMESTAMP.
	OnUpdate string
	Comment  string
	// Invisible columns are left out of SELECT * and of INSERT without a
	// column list (MySQL 8.0.23 and MariaDB 10.3 INVISIBLE).
	Invisible bool
	// Check is the expression of a CHECK written in the column's own
	// definition, where the database keeps such a check apart from the
	// table's (MariaDB: named after the column, one per column, restated
	// with it); empty for none. Table.Checks holds the others.
	Check string
}

// The kinds of Column.Identity.
const (
	// IdentityAlways is PostgreSQL's GENERATED ALWAYS AS IDENTITY.
	IdentityAlways = "always"
	// IdentitySerial is PostgreSQL's serial: a sequence owned by the column.
	IdentitySerial = "serial"
	// IdentityKeyword is SQLite's AUTOINCREMENT keyword, which never reuses
	// a rowid.
	IdentityKeyword = "autoincrement"
)

// Generated is a generated column's expression; the zero value means the
// column is not generated.
type Generated struct {
	Expr string
	// Stored columns are computed on write; the others (VIRTUAL) on read.
	Stored bool
}

// Clone returns a copy of c.
func (c *Column) Clone() *Column {
	if c == nil {
		return nil
	}
	cp := *c
	return &cp
}

// PrimaryKey is a table's primary key.
type PrimaryKey struct {
	// Name is the constraint name where the database keeps one.
	Name    string   `json:"name,omitempty"`
	Columns []string `json:"columns"`
	// Comment is the key's own comment (MySQL's PRIMARY KEY … COMMENT;
	// PostgreSQL's COMMENT ON CONSTRAINT).
	Comment string `json:"comment,omitempty"`
}

// Index is an index, unique or not.
type Index struct {
	Name  string      `json:"name"`
	Parts []IndexPart `json:"parts"`
	// Unique indexes hold each key once.
	Unique bool `json:"unique,omitempty"`
	// Constraint marks a unique index declared as a UNIQUE constraint
	// rather than by CREATE INDEX.
	Constraint bool `json:"constraint,omitempty"`
	// Where is a partial index's predicate (PostgreSQL, SQLite).
	Where string `json:"where,omitempty"`
	// Method is the index method where it is not the default: gin, gist,
	// hash… on PostgreSQL; FULLTEXT or SPATIAL on MySQL.
	Method string `json:"method,omitempty"`
	// Source is the CREATE INDEX statement as the user wrote it, where the
	// database keeps it (SQLite); never compared.
	Source *Source `json:"-"`
	// Ignored indexes are kept up to date but never used by the optimizer
	// (MariaDB's IGNORED, MySQL's INVISIBLE).
	Ignored bool `json:"ignored,omitempty"`
	// Include lists the columns a PostgreSQL index carries besides its
	// keys (INCLUDE (…)), in order.
	Include []string `json:"include,omitempty"`
	// NullsNotDistinct makes a unique index treat NULLs as equal
	// (PostgreSQL 15's UNIQUE NULLS NOT DISTINCT).
	NullsNotDistinct bool `json:"nulls_not_distinct,omitempty"`
	// Params are the index's storage parameters (PostgreSQL's WITH (…)),
	// each name=value as the database keeps it, in order.
	Params []string `json:"params,omitempty"`
	// Deferrable and InitiallyDeferred are the DEFERRABLE options of a
	// UNIQUE constraint (PostgreSQL).
	Deferrable        bool `json:"deferrable,omitempty"`
	InitiallyDeferred bool `json:"initially_deferred,omitempty"`
	// Comment is the index's comment (MySQL's COMMENT index option), or
	// for a PostgreSQL UNIQUE constraint the constraint's.
	Comment string `json:"comment,omitempty"`
}

// The kinds of index whose order Ordered schemas keep apart: MySQL lists
// unique indexes first, FULLTEXT ones last, each kind in the order the
// indexes were made.
const (
	UniqueIndexKind = iota
	PlainIndexKind
	FullTextIndexKind
)

// Kind is ix's kind among UniqueIndexKind, PlainIndexKind and
// FullTextIndexKind.
func (ix *Index) Kind() int {
	switch {
	case ix.Unique:
		return UniqueIndexKind
	case strings.EqualFold(ix.Method, "FULLTEXT"):
		return FullTextIndexKind
	}
	return PlainIndexKind
}

// IndexPart is one key of an index: a column or an expression.
type IndexPart struct {
	Column string `json:"column,omitempty"`
	// Expr is the expression of an expression key; Column is empty then.
	Expr string `json:"expr,omitempty"`
	Desc bool   `json:"desc,omitempty"`
	// Prefix is MySQL's key prefix length of a string column.
	Prefix int `json:"prefix,omitempty"`
	// OpClass is the key's operator class where it is not the default of
	// its type and index method (PostgreSQL: text_pattern_ops, an
	// extension's gin_trgm_ops).
	OpClass string `json:"opclass,omitempty"`
	// OpClassParams are the operator class's parameters, name=value
	// separated by commas, as in siglen=32 (PostgreSQL 13); OpClass is
	// then set even where it is the default.
	OpClassParams string `json:"opclass_params,omitempty"`
	// Collation is the key's collation where it is not the column's or
	// the expression's own (PostgreSQL).
	Collation string `json:"collation,omitempty"`
	// Nulls is "FIRST" or "LAST" where the key sorts NULLs other than by
	// its direction's default (PostgreSQL: NULLS LAST ascending, NULLS
	// FIRST descending); empty otherwise.
	Nulls string `json:"nulls,omitempty"`
}

// Columns returns an index on plain columns, in order.
func Columns(names ...string) []IndexPart {
	parts := make([]IndexPart, len(names))
	for i, n := range names {
		parts[i] = IndexPart{Column: n}
	}
	return parts
}

// ColumnNames returns the columns the index's keys name, in order;
// expression keys are left out.
func (ix *Index) ColumnNames() []string {
	var names []string
	for _, p := range ix.Parts {
		if p.Column != "" {
			names = append(names, p.Column)
		}
	}
	return names
}

// HasColumn reports whether a key of the index is the column name.
func (ix *Index) HasColumn(name string) bool {
	return slices.ContainsFunc(ix.Parts, func(p IndexPart) bool { return p.Column == name })
}

// Clone returns a copy of ix.
func (ix *Index) Clone() *Index {
	cp := *ix
	cp.Parts = slices.Clone(ix.Parts)
	cp.Include = slices.Clone(ix.Include)
	cp.Params = slices.Clone(ix.Params)
	return &cp
}

// Check is a check constraint.
type Check struct {
	Name string `json:"name,omitempty"`
	Expr string `json:"expr"`
	// NoInherit keeps the check off child tables (PostgreSQL's NO
	// INHERIT).
	NoInherit bool `json:"no_inherit,omitempty"`
	// NotValid marks a check the database has not verified on the rows
	// present (PostgreSQL's NOT VALID).
	NotValid bool `json:"not_valid,omitempty"`
	// Comment is the constraint's comment (PostgreSQL).
	Comment string `json:"comment,omitempty"`
}

// ForeignKey is a foreign key constraint.
type ForeignKey struct {
	Name       string   `json:"name,omitempty"`
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	// OnDelete and OnUpdate hold the referential action in upper case
	// ("CASCADE", "SET NULL"...), empty for the default NO ACTION.
	OnDelete string `json:"on_delete,omitempty"`
	OnUpdate string `json:"on_update,omitempty"`
	// Deferrable and InitiallyDeferred are PostgreSQL's DEFERRABLE options.
	Deferrable        bool `json:"deferrable,omitempty"`
	InitiallyDeferred bool `json:"initially_deferred,omitempty"`
	// Match is PostgreSQL's MATCH FULL ("FULL"), empty for the default
	// MATCH SIMPLE.
	Match string `json:"match,omitempty"`
	// NotValid marks a key the database has not verified on the rows
	// present (PostgreSQL's NOT VALID).
	NotValid bool `json:"not_valid,omitempty"`
	// Comment is the constraint's comment (PostgreSQL).
	Comment string `json:"comment,omitempty"`
}

// Normalize puts s in canonical order, so that two schemas holding the
// same objects compare equal with Equal. A table's columns keep their
// order, and so do its indexes when s is Ordered.
func (s *Schema) Normalize() {
	slices.SortFunc(s.Tables, func(a, b *Table) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Views, func(a, b *View) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Enums, func(a, b *Enum) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Extensions, func(a, b *Extension) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Functions, func(a, b *Function) int { return strings.Compare(a.Key(), b.Key()) })
	s.Unmanaged = sortUnmanaged(s.Unmanaged)
	s.normalizePG()
	for _, v := range s.Views {
		sortTriggers(v.Triggers)
	}
	for _, t := range s.Tables {
		sortTriggers(t.Triggers)
		slices.SortFunc(t.Checks, func(a, b *Check) int {
			return cmp.Or(strings.Compare(a.Expr, b.Expr), strings.Compare(a.Name, b.Name))
		})
		if !s.Ordered {
			slices.SortFunc(t.Indexes, func(a, b *Index) int { return strings.Compare(a.Name, b.Name) })
		}
		slices.SortFunc(t.Exclusions, func(a, b *Exclusion) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.Partitions, func(a, b *Partition) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.ForeignKeys, func(a, b *ForeignKey) int { return strings.Compare(a.Name, b.Name) })
		for _, fk := range t.ForeignKeys {
			if fk.OnDelete == "NO ACTION" {
				fk.OnDelete = ""
			}
			if fk.OnUpdate == "NO ACTION" {
				fk.OnUpdate = ""
			}
			if fk.Match == "SIMPLE" {
				fk.Match = ""
			}
		}
	}
}

// Mentions reports whether the SQL text sql names name as a whole
// identifier: quoted ("name", `name`, [name]) or bare, letter case
// ignored. It is how strata tells which checks, views and expressions
// use a column or a view, short of parsing SQL.
func Mentions(sql, name string) bool {
	for _, q := range []string{`"` + name + `"`, "`" + name + "`", "[" + name + "]"} {
		if strings.Contains(sql, q) {
			return true
		}
	}
	low, n := strings.ToLower(sql), strings.ToLower(name)
	for i := 0; ; {
		j := strings.Index(low[i:], n)
		if j < 0 {
			return false
		}
		j += i
		before, after := j-1, j+len(n)
		if (before < 0 || !identByte(low[before])) && (after >= len(low) || !identByte(low[after])) {
			return true
		}
		i = j + 1
	}
}

func identByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}
