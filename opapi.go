package strata

import (
	"fmt"
	"maps"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// Op records the operations of a Go migration. Its methods describe
// changes; strata renders them for the database at hand (on SQLite, an
// ALTER it lacks becomes the table rebuild) and runs them in the
// revision's transaction. Mistakes are reported when the migration
// returns, naming the op.
type Op struct {
	db      revision.Querier
	current *schema.Schema
	dialect string
	x       map[string]string
	ops     []op.Op
	errs    []string
}

// X returns the value given for key with WithX (`-x key=value` on the
// command line), and whether one was given: a way to pass a run's
// settings (a tenant, a batch size, whether to load seed data) to a Go
// migration.
func (o *Op) X(key string) (string, bool) {
	v, ok := o.x[key]
	return v, ok
}

// XArgs returns every value given with WithX, as a copy.
func (o *Op) XArgs() map[string]string { return maps.Clone(o.x) }

// DB reads the database, for migrations that decide by data. In offline
// mode (upgrade --sql) its queries fail with runner.ErrOffline.
func (o *Op) DB() revision.Querier { return o.db }

// Dialect returns the name of the database's dialect: sqlite, postgres or
// mysql.
func (o *Op) Dialect() string { return o.dialect }

func (o *Op) add(x op.Op) {
	o.ops = append(o.ops, x)
	if o.current != nil {
		if err := x.Apply(o.current); err != nil {
			o.errs = append(o.errs, fmt.Sprintf("%s: %v", x, err))
		}
	}
}

func (o *Op) fail(format string, args ...any) {
	o.errs = append(o.errs, fmt.Sprintf(format, args...))
}

// table returns the table as it stands, or a bare stand-in when the schema
// is unknown (offline), so that ops which need only names still render.
func (o *Op) table(name string) *schema.Table {
	if o.current != nil {
		if t, ok := o.current.Table(name); ok {
			return t
		}
		o.fail("table %q does not exist", name)
	}
	return &schema.Table{Name: name}
}

func (o *Op) column(table, name string) *schema.Column {
	t := o.table(table)
	if c, ok := t.Column(name); ok {
		return c.Clone()
	}
	if o.current != nil {
		o.fail("table %q has no column %q", table, name)
	}
	return &schema.Column{Name: name, Nullable: true}
}

// Types for Column. They are dialect-neutral; each database renders its
// own spelling.
var (
	SmallInt  schema.Type = schema.IntegerType{Bits: 16}
	Integer   schema.Type = schema.IntegerType{Bits: 32}
	BigInt    schema.Type = schema.IntegerType{Bits: 64}
	Boolean   schema.Type = schema.BoolType{}
	Text      schema.Type = schema.StringType{}
	Real      schema.Type = schema.FloatType{Bits: 32}
	Double    schema.Type = schema.FloatType{Bits: 64}
	Timestamp schema.Type = schema.TimeType{Kind: schema.Timestamp, Precision: 6}
	// TimestampTZ keeps the time zone where the database can (PostgreSQL).
	TimestampTZ schema.Type = schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}
	Date        schema.Type = schema.TimeType{Kind: schema.Date}
	Blob        schema.Type = schema.BinaryType{}
)

// Varchar is a string of at most n characters.
func Varchar(n int) schema.Type { return schema.StringType{Size: n} }

// Char is a blank-padded string of n characters.
func Char(n int) schema.Type { return schema.StringType{Size: n, Fixed: true} }

// Decimal is an exact number of precision digits, scale after the point.
func Decimal(precision, scale int) schema.Type {
	return schema.DecimalType{Precision: precision, Scale: scale}
}

// RawType is a type written in the database's own SQL, such as "jsonb".
func RawType(sql string) schema.Type { return schema.RawType{SQL: strings.ToLower(sql)} }

// ColumnDef describes a column for CreateTable and AddColumn. Columns are
// NOT NULL unless Null is called.
type ColumnDef struct {
	col    schema.Column
	null   bool // Null was called
	pk     bool
	unique bool
	refs   string
	onDel  string
	place  op.Position
}

// Column starts a column definition.
func Column(name string, t schema.Type) *ColumnDef {
	return &ColumnDef{col: schema.Column{Name: name, Type: t}}
}

// Null makes the column nullable.
func (c *ColumnDef) Null() *ColumnDef { c.col.Nullable, c.null = true, true; return c }

// Default sets the default: a SQL literal ('text', 42, true) or, in
// parentheses, an expression.
func (c *ColumnDef) Default(sql string) *ColumnDef {
	if strings.HasPrefix(sql, "(") && strings.HasSuffix(sql, ")") {
		c.col.Default = schema.Expr{SQL: strings.TrimSpace(sql[1 : len(sql)-1])}
	} else if strings.EqualFold(sql, "current_timestamp") {
		c.col.Default = schema.Expr{SQL: "CURRENT_TIMESTAMP"}
	} else {
		c.col.Default = schema.Literal{SQL: sql}
	}
	return c
}

// PrimaryKey makes the column the table's primary key (CreateTable only),
// NOT NULL unless Null is called: SQLite lets NULL into a key other than
// the rowid alias, where it was not declared NOT NULL.
func (c *ColumnDef) PrimaryKey() *ColumnDef { c.pk = true; return c }

// AutoIncrement lets the database assign the column's values.
func (c *ColumnDef) AutoIncrement() *ColumnDef { c.col.AutoIncrement = true; return c }

// Unique adds a unique index on the column (CreateTable only).
func (c *ColumnDef) Unique() *ColumnDef { c.unique = true; return c }

// References adds a foreign key to "table.column" (CreateTable only), with
// an optional ON DELETE action such as "cascade".
func (c *ColumnDef) References(target string, onDelete ...string) *ColumnDef {
	c.refs = target
	if len(onDelete) > 0 {
		c.onDel = strings.ToUpper(onDelete[0])
	}
	return c
}

// Comment sets the column's comment.
func (c *ColumnDef) Comment(text string) *ColumnDef { c.col.Comment = text; return c }

// After places a column that AddColumn adds right after the column
// called name, on the databases that can place a column (MySQL; SQLite
// rebuilds the table; PostgreSQL adds it at the end, see op.Position).
func (c *ColumnDef) After(name string) *ColumnDef { c.place = op.Position{After: name}; return c }

// First places a column that AddColumn adds before every other column,
// as After does.
func (c *ColumnDef) First() *ColumnDef { c.place = op.Position{First: true}; return c }

// CreateTable creates a table from column definitions.
func (o *Op) CreateTable(name string, columns ...*ColumnDef) {
	t := &schema.Table{Name: name}
	var pk []string
	for _, c := range columns {
		col := c.col
		t.Columns = append(t.Columns, &col)
		if c.pk {
			pk = append(pk, col.Name)
			col.Nullable = c.null
		}
		if c.unique {
			t.Indexes = append(t.Indexes, &schema.Index{Name: "uq_" + name + "_" + col.Name, Unique: true, Parts: schema.Columns(col.Name)})
		}
		if c.refs != "" {
			table, column, ok := strings.Cut(c.refs, ".")
			if !ok {
				o.fail("create table %q: column %q: References(%q): want table.column", name, col.Name, c.refs)
				continue
			}
			t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{
				Name: "fk_" + name + "_" + col.Name, Columns: []string{col.Name},
				RefTable: table, RefColumns: []string{column}, OnDelete: c.onDel,
			})
		}
	}
	if len(pk) > 0 {
		t.PrimaryKey = &schema.PrimaryKey{Columns: pk}
	}
	o.add(op.CreateTable{Table: t})
}

// DropTable drops a table.
func (o *Op) DropTable(name string) { o.add(op.DropTable{Table: o.table(name).Clone()}) }

// RenameTable renames a table.
func (o *Op) RenameTable(from, to string) { o.add(op.RenameTable{From: from, To: to}) }

// AddColumn adds a column. A NOT NULL column without a default is added in
// three steps (nullable, filled with the zero value, NOT NULL) so that
// rows already in the table are kept.
func (o *Op) AddColumn(table string, c *ColumnDef) {
	col := c.col
	add := op.AddColumn{Table: table, Column: &col, Position: c.place}
	if !col.Nullable && !col.AutoIncrement {
		add.Backfill = op.BackfillValue(&col)
	}
	o.add(add)
}

// DropColumn drops a column. Its downgrade puts the column back where it
// stood, on the databases that can place a column (see op.Position).
func (o *Op) DropColumn(table, name string) {
	o.add(op.DropColumn{Table: table, Column: o.column(table, name), Position: op.PositionOf(o.table(table), name)})
}

// ColumnChange is one change for AlterColumn.
type ColumnChange func(*schema.Column, *op.AlterColumn)

// SetType changes the column's type.
func SetType(t schema.Type) ColumnChange {
	// The old declaration (SQLite's declared type) goes with the old type.
	return func(c *schema.Column, _ *op.AlterColumn) { c.Type, c.DeclaredType = t, "" }
}

// SetNotNull makes the column NOT NULL, filling NULLs with the column's
// default or its type's zero value first.
func SetNotNull() ColumnChange {
	return func(c *schema.Column, a *op.AlterColumn) {
		c.Nullable = false
		a.Backfill = op.BackfillValue(c)
	}
}

// DropNotNull makes the column nullable.
func DropNotNull() ColumnChange {
	return func(c *schema.Column, _ *op.AlterColumn) { c.Nullable = true }
}

// SetDefault sets the column's default (see ColumnDef.Default).
func SetDefault(sql string) ColumnChange {
	return func(c *schema.Column, _ *op.AlterColumn) { c.Default = Column("", nil).Default(sql).col.Default }
}

// DropDefault removes the column's default.
func DropDefault() ColumnChange { return func(c *schema.Column, _ *op.AlterColumn) { c.Default = nil } }

// RenameColumn renames the column.
func RenameColumn(to string) ColumnChange {
	return func(c *schema.Column, _ *op.AlterColumn) { c.Name = to }
}

// AlterColumn changes a column's type, nullability, default or name.
func (o *Op) AlterColumn(table, name string, changes ...ColumnChange) {
	from := o.column(table, name)
	to := from.Clone()
	a := op.AlterColumn{Table: table, From: from, To: to}
	for _, ch := range changes {
		ch(to, &a)
	}
	if to.Type == nil {
		o.fail("alter column %q.%q: its type is unknown here (offline); give it with SetType", table, name)
		return
	}
	o.add(a)
}

// CreateIndex creates an index on columns.
func (o *Op) CreateIndex(table, name string, columns ...string) {
	o.add(op.CreateIndex{Table: table, Index: &schema.Index{Name: name, Parts: schema.Columns(columns...)}})
}

// CreateUniqueIndex creates a unique index on columns.
func (o *Op) CreateUniqueIndex(table, name string, columns ...string) {
	o.add(op.CreateIndex{Table: table, Index: &schema.Index{Name: name, Unique: true, Parts: schema.Columns(columns...)}})
}

// DropIndex drops an index.
func (o *Op) DropIndex(table, name string) {
	t := o.table(table)
	ix, ok := t.Index(name)
	if !ok {
		if o.current != nil {
			o.fail("drop index %q: table %q has no such index", name, table)
		}
		ix = &schema.Index{Name: name}
	}
	o.add(op.DropIndex{Table: table, Index: ix.Clone()})
}

// AddForeignKey adds a foreign key; onDelete, if given, is its ON DELETE
// action ("cascade", "set null"…).
func (o *Op) AddForeignKey(table, name string, columns []string, refTable string, refColumns []string, onDelete ...string) {
	fk := &schema.ForeignKey{Name: name, Columns: columns, RefTable: refTable, RefColumns: refColumns}
	if len(onDelete) > 0 {
		fk.OnDelete = strings.ToUpper(onDelete[0])
	}
	o.add(op.AddForeignKey{Table: table, ForeignKey: fk})
}

// AddUnique adds a unique constraint.
func (o *Op) AddUnique(table, name string, columns ...string) {
	o.add(op.CreateIndex{Table: table, Index: &schema.Index{Name: name, Unique: true, Constraint: true, Parts: schema.Columns(columns...)}})
}

// AddCheck adds a check constraint.
func (o *Op) AddCheck(table, name, expr string) {
	o.add(op.AddCheck{Table: table, Check: &schema.Check{Name: name, Expr: expr}})
}

// DropConstraint drops a constraint (foreign key, unique, check, primary
// key) by name.
func (o *Op) DropConstraint(table, name string) { o.add(op.DropConstraint{Table: table, Name: name}) }

// RenameConstraint renames a constraint or index (foreign key, check,
// unique, primary key, plain index) of table, found by name in that
// order; each database does it in its least disruptive form.
func (o *Op) RenameConstraint(table, from, to string) {
	o.add(op.RenameConstraint{Table: table, From: from, To: to})
}

// ExecOption limits an Execute.
type ExecOption func(*op.Execute)

// OnlyOn runs the SQL only on the named dialect (sqlite, postgres, mysql).
func OnlyOn(dialect string) ExecOption { return func(e *op.Execute) { e.Dialect = dialect } }

// Execute runs SQL as written, on every dialect unless OnlyOn says which.
func (o *Op) Execute(sql string, opts ...ExecOption) {
	e := op.Execute{SQL: sql}
	for _, opt := range opts {
		opt(&e)
	}
	o.add(e)
}

// BulkInsert inserts rows, each holding a Go value per column.
func (o *Op) BulkInsert(table string, columns []string, rows ...[]any) {
	for i, r := range rows {
		if len(r) != len(columns) {
			o.fail("bulk insert into %q: row %d has %d values for %d columns", table, i+1, len(r), len(columns))
			return
		}
	}
	o.add(op.BulkInsert{Table: table, Columns: columns, Rows: rows})
}
