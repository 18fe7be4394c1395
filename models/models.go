// Package models turns Go structs into the schema they describe, so that
// strata can compare an application's models with its database.
//
// A struct is a table; each exported field a column named by its `db` tag
// (sqlx's convention; `db:"-"` skips the field) or, without one, by its
// name in snake_case. The table is named by a TableName() string method,
// else by the struct's name in snake_case, pluralized. A non-pointer field
// is NOT NULL; a pointer or sql.Null* field is nullable.
//
// The `strata` tag adds schema detail, options separated by commas:
//
//	pk                  part of the primary key (a single integer key is auto-increment)
//	autoincrement:false a single integer key the application assigns itself
//	size:200            VARCHAR(200) for a string
//	type:citext         the column type, verbatim in the database's SQL
//	default:false       a default: a literal ('text', 42, true) or an expression in parentheses;
//	                    the current time as current_timestamp, current_timestamp(6) or now()
//	null                nullable although the field is not a pointer
//	unique, unique:name a unique index, on this field or on all fields naming it
//	index, index:name   an index, likewise
//	fk:table.column     a foreign key, with ondelete:cascade and onupdate:… actions
//	comment:text        a column comment
//	enum:a|b|c          a string limited to the values (a PostgreSQL enum type
//	                    named table_column; MySQL's inline ENUM; TEXT on SQLite)
//	check:expr          a check constraint
//	renamed_from:old    the column's old name, so migrate renames it
package models

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/strata-go/strata/schema"
)

// Schema returns the schema that values describe. Each value is a struct
// or a pointer to one. Every bad field is reported, at once.
func Schema(values ...any) (*schema.Schema, error) {
	s := &schema.Schema{}
	var errs []error
	for _, v := range values {
		t, _, enums, err := table(v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := s.Table(t.Name); dup {
			errs = append(errs, fmt.Errorf("models: two models map to table %q", t.Name))
			continue
		}
		s.Tables = append(s.Tables, t)
		s.Enums = append(s.Enums, enums...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s.Normalize()
	return s, nil
}

// Tabler is a model that names its own table.
type Tabler interface{ TableName() string }

// TableBuilder is a model that says what tags cannot: it gets its table,
// built from the tags, and may add to it or change it (composite foreign
// keys, expression or partial indexes, checks over several columns).
type TableBuilder interface{ BuildTable(t *schema.Table) }

// TableRenamer is a model whose table had another name, so that migrate
// renames the table instead of dropping one and creating another.
type TableRenamer interface{ RenamedFrom() string }

// Rename is a rename the models ask for: of a table when Table is empty
// (From and To are table names), else of a column of Table (its new name).
type Rename struct{ Table, From, To string }

// Renames returns the renames that values ask for, through the
// renamed_from tag and the RenamedFrom method.
func Renames(values ...any) ([]Rename, error) {
	var out []Rename
	var errs []error
	for _, v := range values {
		t, renames, _, err := table(v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if r, ok := asRenamer(v); ok && r.RenamedFrom() != "" {
			out = append(out, Rename{From: r.RenamedFrom(), To: t.Name})
		}
		out = append(out, renames...)
	}
	return out, errors.Join(errs...)
}

func asRenamer(v any) (TableRenamer, bool) {
	rt := reflect.TypeOf(v)
	for rt != nil && rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	if rt == nil {
		return nil, false
	}
	r, ok := reflect.New(rt).Interface().(TableRenamer)
	return r, ok
}

// Table returns the table one model describes.
func Table(v any) (*schema.Table, error) {
	t, _, _, err := table(v)
	return t, err
}

func table(v any) (*schema.Table, []Rename, []*schema.Enum, error) {
	rt := reflect.TypeOf(v)
	for rt != nil && rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	if rt == nil || rt.Kind() != reflect.Struct {
		return nil, nil, nil, fmt.Errorf("models: %T is not a struct", v)
	}
	t := &schema.Table{Name: tableName(v, rt)}
	b := &builder{table: t, structName: rt.Name(), indexes: map[string]*schema.Index{}}
	b.fields(rt)
	b.finish()
	if err := errors.Join(b.errs...); err != nil {
		return nil, nil, nil, err
	}
	// The zero value answers, so that a nil *T with value-receiver methods
	// cannot panic.
	if tb, ok := reflect.New(rt).Interface().(TableBuilder); ok {
		tb.BuildTable(t)
	}
	return t, b.renames, b.enums, nil
}

func tableName(v any, rt reflect.Type) string {
	// A nil *T would panic in a TableName with a value receiver; the zero
	// value below answers for it.
	if rv := reflect.ValueOf(v); rv.Kind() != reflect.Pointer || !rv.IsNil() {
		if tn, ok := v.(Tabler); ok {
			return tn.TableName()
		}
	}
	if tn, ok := reflect.New(rt).Interface().(Tabler); ok {
		return tn.TableName()
	}
	return plural(snake(rt.Name()))
}

type builder struct {
	table      *schema.Table
	structName string
	errs       []error
	pk         []string
	indexes    map[string]*schema.Index
	indexOrder []string
	noAutoInc  bool
	renames    []Rename
	enums      []*schema.Enum
}

func (b *builder) fail(field, tag, format string, args ...any) {
	where := b.structName + "." + field
	if tag != "" {
		where += fmt.Sprintf(": tag %q", tag)
	}
	b.errs = append(b.errs, fmt.Errorf("models: %s: %s", where, fmt.Sprintf(format, args...)))
}

func (b *builder) fields(rt reflect.Type) {
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("db") == "" {
			b.fields(f.Type)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := f.Tag.Get("db")
		if name == "-" {
			continue
		}
		name, _, _ = strings.Cut(name, ",")
		if name == "" {
			name = snake(f.Name)
		}
		b.field(f, name)
	}
}

var timeType = reflect.TypeFor[time.Time]()

// nullTypes maps database/sql's Null types to the type they hold.
var nullTypes = map[reflect.Type]reflect.Type{
	reflect.TypeFor[sql.NullString]():  reflect.TypeFor[string](),
	reflect.TypeFor[sql.NullInt64]():   reflect.TypeFor[int64](),
	reflect.TypeFor[sql.NullInt32]():   reflect.TypeFor[int32](),
	reflect.TypeFor[sql.NullInt16]():   reflect.TypeFor[int16](),
	reflect.TypeFor[sql.NullByte]():    reflect.TypeFor[uint8](),
	reflect.TypeFor[sql.NullFloat64](): reflect.TypeFor[float64](),
	reflect.TypeFor[sql.NullBool]():    reflect.TypeFor[bool](),
	reflect.TypeFor[sql.NullTime]():    timeType,
}

func (b *builder) field(f reflect.StructField, name string) {
	if _, dup := b.table.Column(name); dup {
		b.fail(f.Name, "", "column %q is already defined by another field", name)
		return
	}
	tag := f.Tag.Get("strata")
	opts, err := parseTag(tag)
	if err != nil {
		b.fail(f.Name, tag, "%v", err)
		return
	}
	gt := f.Type
	c := &schema.Column{Name: name}
	if gt.Kind() == reflect.Pointer {
		gt, c.Nullable = gt.Elem(), true
	}
	if inner, ok := nullTypes[gt]; ok {
		gt, c.Nullable = inner, true
	} else if gt.Kind() == reflect.Struct && strings.HasPrefix(gt.Name(), "Null[") && gt.PkgPath() == "database/sql" {
		gt, c.Nullable = gt.Field(0).Type, true
	}
	size := 0
	var rawType string
	for _, o := range opts {
		switch o.Key {
		case "size":
			n, err := strconv.Atoi(o.Value)
			if err != nil || n <= 0 {
				b.fail(f.Name, tag, "size must be a positive number, got %q", o.Value)
				continue
			}
			size = n
		case "type":
			if o.Value == "" {
				b.fail(f.Name, tag, "type needs a value, such as type:citext")
				continue
			}
			rawType = strings.ToLower(o.Value)
		}
	}
	c.Type = goType(gt, size)
	if rawType != "" {
		c.Type = schema.RawType{SQL: rawType}
	}
	if c.Type == nil {
		b.fail(f.Name, "", "Go type %s has no column type; add a type:… option or skip the field with db:\"-\"", f.Type)
		return
	}
	for _, o := range opts {
		switch o.Key {
		case "size", "type":
		case "pk":
			b.pk = append(b.pk, name)
		case "autoincrement":
			if o.HasValue && o.Value == "false" {
				b.noAutoInc = true
			}
		case "null":
			c.Nullable = true
		case "default":
			d, err := parseDefault(o.Value, c.Type)
			if err != nil {
				b.fail(f.Name, tag, "%v", err)
				continue
			}
			c.Default = d
		case "unique", "index":
			ixName := o.Value
			if ixName == "" {
				prefix := "idx"
				if o.Key == "unique" {
					prefix = "uq"
				}
				ixName = prefix + "_" + b.table.Name + "_" + name
			}
			ix, ok := b.indexes[ixName]
			if !ok {
				ix = &schema.Index{Name: ixName, Unique: o.Key == "unique"}
				b.indexes[ixName] = ix
				b.indexOrder = append(b.indexOrder, ixName)
			} else if ix.Unique != (o.Key == "unique") {
				b.fail(f.Name, tag, "index %q is unique on one field and not on another", ixName)
				continue
			}
			ix.Parts = append(ix.Parts, schema.IndexPart{Column: name})
		case "fk":
			table, column, ok := strings.Cut(o.Value, ".")
			if !ok || table == "" || column == "" {
				b.fail(f.Name, tag, "want fk:table.column")
				continue
			}
			fk := &schema.ForeignKey{
				Name: "fk_" + b.table.Name + "_" + name, Columns: []string{name},
				RefTable: table, RefColumns: []string{column},
			}
			for _, a := range opts {
				switch a.Key {
				case "ondelete":
					fk.OnDelete = action(a.Value)
				case "onupdate":
					fk.OnUpdate = action(a.Value)
				}
			}
			b.table.ForeignKeys = append(b.table.ForeignKeys, fk)
		case "ondelete", "onupdate":
			if !slices.ContainsFunc(opts, func(o tagOption) bool { return o.Key == "fk" }) {
				b.fail(f.Name, tag, "%s needs an fk option on the same field", o.Key)
			} else if a := action(o.Value); !slices.Contains([]string{"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"}, a) {
				b.fail(f.Name, tag, "%s:%s: want cascade, set null, set default, restrict or no action", o.Key, o.Value)
			}
		case "comment":
			// A comment holding a comma is written in quotes.
			c.Comment = o.Value
			if v := o.Value; len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
				c.Comment = strings.ReplaceAll(v[1:len(v)-1], "''", "'")
			}
		case "check":
			expr := strings.TrimSpace(o.Value)
			if len(expr) > 1 && expr[0] == '(' && expr[len(expr)-1] == ')' {
				expr = strings.TrimSpace(expr[1 : len(expr)-1])
			}
			if expr == "" {
				b.fail(f.Name, tag, "check needs an expression, such as check:(qty > 0)")
				continue
			}
			b.table.Checks = append(b.table.Checks, &schema.Check{Name: "ck_" + b.table.Name + "_" + name, Expr: expr})
		case "enum":
			values := strings.Split(o.Value, "|")
			if o.Value == "" || slices.Contains(values, "") {
				b.fail(f.Name, tag, "enum needs its values, such as enum:todo|doing|done")
				continue
			}
			if _, isString := c.Type.(schema.StringType); !isString {
				b.fail(f.Name, tag, "enum needs a string field")
				continue
			}
			// A named enum type (PostgreSQL); MySQL writes it as an inline
			// ENUM column, SQLite as TEXT.
			e := &schema.Enum{Name: b.table.Name + "_" + name, Values: values}
			b.enums = append(b.enums, e)
			c.Type = schema.EnumType{Name: e.Name}
		case "renamed_from":
			if o.Value == "" {
				b.fail(f.Name, tag, "renamed_from needs the column's old name")
				continue
			}
			b.renames = append(b.renames, Rename{Table: b.table.Name, From: o.Value, To: name})
		default:
			b.fail(f.Name, tag, "unknown option %q", o.Key)
		}
	}
	b.table.Columns = append(b.table.Columns, c)
}

func action(s string) string {
	return strings.ToUpper(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == ' ' }), " "))
}

func (b *builder) finish() {
	if len(b.pk) > 0 {
		b.table.PrimaryKey = &schema.PrimaryKey{Columns: b.pk}
		for _, name := range b.pk {
			c, _ := b.table.Column(name)
			c.Nullable = false
		}
		if len(b.pk) == 1 && !b.noAutoInc {
			c, _ := b.table.Column(b.pk[0])
			if _, isInt := c.Type.(schema.IntegerType); isInt && c.Default == nil {
				c.AutoIncrement = true
			}
		}
	}
	for _, name := range b.indexOrder {
		b.table.Indexes = append(b.table.Indexes, b.indexes[name])
	}
	for _, ix := range b.table.Indexes {
		for _, col := range ix.ColumnNames() {
			c, _ := b.table.Column(col)
			// Indexed text needs a bound length on MySQL.
			if st, ok := c.Type.(schema.StringType); ok && st.Size == 0 {
				c.Type = schema.StringType{Size: 255}
			}
		}
	}
	if b.table.PrimaryKey != nil {
		for _, col := range b.table.PrimaryKey.Columns {
			c, _ := b.table.Column(col)
			if st, ok := c.Type.(schema.StringType); ok && st.Size == 0 {
				c.Type = schema.StringType{Size: 255}
			}
		}
	}
}

// goType maps a Go type to a column type, or nil.
func goType(t reflect.Type, size int) schema.Type {
	if t == timeType {
		return schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}
	}
	switch t.Kind() {
	case reflect.Int64, reflect.Int, reflect.Uint64, reflect.Uint, reflect.Uint32:
		return schema.IntegerType{Bits: 64}
	case reflect.Int32, reflect.Uint16:
		return schema.IntegerType{Bits: 32}
	case reflect.Int16, reflect.Int8, reflect.Uint8:
		return schema.IntegerType{Bits: 16}
	case reflect.String:
		return schema.StringType{Size: size}
	case reflect.Bool:
		return schema.BoolType{}
	case reflect.Float64:
		return schema.FloatType{Bits: 64}
	case reflect.Float32:
		return schema.FloatType{Bits: 32}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return schema.BinaryType{}
		}
	}
	return nil
}

// parseDefault reads a default option: an expression in parentheses, a
// quoted string, or a bare literal (for strings, bare text is quoted).
func parseDefault(v string, t schema.Type) (schema.Default, error) {
	switch {
	case v == "":
		return nil, fmt.Errorf("default needs a value, such as default:0")
	case strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")"):
		return schema.Expr{SQL: strings.TrimSpace(v[1 : len(v)-1])}, nil
	case nowRE.MatchString(v) && !strings.EqualFold(v, "now"):
		return nowDefault(v, t)
	case strings.HasPrefix(v, "'"):
		if len(v) < 2 || !strings.HasSuffix(v, "'") {
			return nil, fmt.Errorf("default %s: unterminated quote", v)
		}
		return schema.Literal{SQL: v}, nil
	}
	switch t.(type) {
	case schema.TimeType, schema.IntegerType, schema.FloatType, schema.DecimalType, schema.BoolType:
		// A function call is no literal of these types: it is the
		// expression, as if written in parentheses.
		if callRE.MatchString(v) {
			return schema.Expr{SQL: v}, nil
		}
	}
	switch t.(type) {
	case schema.StringType, schema.EnumType, schema.TimeType, schema.BinaryType:
		return schema.Literal{SQL: "'" + strings.ReplaceAll(v, "'", "''") + "'"}, nil
	case schema.BoolType:
		switch strings.ToLower(v) {
		case "true", "false":
			return schema.Literal{SQL: strings.ToLower(v)}, nil
		}
		return nil, fmt.Errorf("default %s: want true or false", v)
	case schema.IntegerType, schema.FloatType, schema.DecimalType:
		if !numberRE.MatchString(v) {
			return nil, fmt.Errorf("default %s: want a number", v)
		}
		if _, isInt := t.(schema.IntegerType); isInt && !integerRE.MatchString(v) {
			return nil, fmt.Errorf("default %s: want a whole number", v)
		}
	}
	return schema.Literal{SQL: v}, nil
}

// nowRE matches the spellings of the current time: current_timestamp,
// current_timestamp(n), now(), now(n), in any case.
var (
	nowRE  = regexp.MustCompile(`^(?i)(current_timestamp|now)\s*(\(\s*(\d*)\s*\))?$`)
	callRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*\s*\(.*\)$`)
)

// nowDefault reads a current-time default. On a time column of precision
// p, current_timestamp, current_timestamp(p) and now() all mean the
// current time at the column's precision, the one expression
// CURRENT_TIMESTAMP that each dialect renders its own way (MySQL as
// CURRENT_TIMESTAMP(p)). Another precision is kept as written.
func nowDefault(v string, t schema.Type) (schema.Default, error) {
	m := nowRE.FindStringSubmatch(v)
	if m[3] == "" {
		return schema.Expr{SQL: "CURRENT_TIMESTAMP"}, nil
	}
	n, err := strconv.Atoi(m[3])
	if err != nil || n > 6 {
		return nil, fmt.Errorf("default %s: want a precision from 0 to 6", v)
	}
	if tt, ok := t.(schema.TimeType); ok && tt.Precision == n {
		return schema.Expr{SQL: "CURRENT_TIMESTAMP"}, nil
	}
	if tt, ok := t.(schema.TimeType); ok {
		return nil, fmt.Errorf("default %s: the column keeps %d fractional digits; write current_timestamp (the current time at the column's precision)", v, tt.Precision)
	}
	return schema.Expr{SQL: fmt.Sprintf("CURRENT_TIMESTAMP(%d)", n)}, nil
}

// numberRE and integerRE match the numeric literals every dialect reads
// (not Go's Inf, NaN, hex floats or underscores).
var (
	numberRE  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	integerRE = regexp.MustCompile(`^[+-]?[0-9]+$`)
)

// snake turns a Go name into snake_case: ListID -> list_id.
func snake(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(runes[i-1]) || unicode.IsDigit(runes[i-1]))
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if i > 0 && (prevLower || nextLower && unicode.IsUpper(runes[i-1])) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plural makes a table name from a singular noun: todo -> todos,
// category -> categories, box -> boxes.
func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "z"),
		strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}
