package models_test

import (
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/models"
	"github.com/strata-go/strata/schema"
)

var (
	int16Type = schema.IntegerType{Bits: 16}
	int32Type = schema.IntegerType{Bits: 32}
	int64Type = schema.IntegerType{Bits: 64}
	textType  = schema.StringType{}
	timeType  = schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}
)

type Status string

type AllTypes struct {
	Int        int
	Int8       int8
	Int16      int16
	Int32      int32
	Int64      int64
	Uint       uint
	Uint8      uint8
	Uint16     uint16
	Uint32     uint32
	Uint64     uint64
	Float32    float32
	Float64    float64
	String     string
	Named      Status
	Bool       bool
	Bytes      []byte
	Time       time.Time
	PtrInt     *int
	PtrString  *string
	PtrTime    *time.Time
	PtrBytes   *[]byte
	NullString sql.NullString
	NullInt64  sql.NullInt64
	NullInt32  sql.NullInt32
	NullInt16  sql.NullInt16
	NullByte   sql.NullByte
	NullFloat  sql.NullFloat64
	NullBool   sql.NullBool
	NullTime   sql.NullTime
	GenInt     sql.Null[int64]
	GenString  sql.Null[string]
	GenTime    sql.Null[time.Time]
	GenStatus  sql.Null[Status]
	PtrNull    *sql.NullString
	NotNull    string `strata:"null"`
	//lint:ignore U1000 the models must skip an unexported field
	unexported int
}

func TestColumnTypes(t *testing.T) {
	t.Parallel()
	tb, err := models.Table(AllTypes{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		column   string
		typ      schema.Type
		nullable bool
	}{
		{"int", int64Type, false},
		{"int8", int16Type, false},
		{"int16", int16Type, false},
		{"int32", int32Type, false},
		{"int64", int64Type, false},
		{"uint", int64Type, false},
		{"uint8", int16Type, false},
		{"uint16", int32Type, false},
		{"uint32", int64Type, false},
		{"uint64", int64Type, false},
		{"float32", schema.FloatType{Bits: 32}, false},
		{"float64", schema.FloatType{Bits: 64}, false},
		{"string", textType, false},
		{"named", textType, false},
		{"bool", schema.BoolType{}, false},
		{"bytes", schema.BinaryType{}, false},
		{"time", timeType, false},
		{"ptr_int", int64Type, true},
		{"ptr_string", textType, true},
		{"ptr_time", timeType, true},
		{"ptr_bytes", schema.BinaryType{}, true},
		{"null_string", textType, true},
		{"null_int64", int64Type, true},
		{"null_int32", int32Type, true},
		{"null_int16", int16Type, true},
		{"null_byte", int16Type, true},
		{"null_float", schema.FloatType{Bits: 64}, true},
		{"null_bool", schema.BoolType{}, true},
		{"null_time", timeType, true},
		{"gen_int", int64Type, true},
		{"gen_string", textType, true},
		{"gen_time", timeType, true},
		{"gen_status", textType, true},
		{"ptr_null", textType, true},
		{"not_null", textType, true},
	}
	var want []string
	for _, tt := range tests {
		want = append(want, tt.column)
		t.Run(tt.column, func(t *testing.T) {
			t.Parallel()
			c, ok := tb.Column(tt.column)
			if !ok {
				t.Fatalf("no column %q", tt.column)
			}
			if c.Type != tt.typ || c.Nullable != tt.nullable {
				t.Errorf("column %q: %s nullable %t, want %s nullable %t", tt.column, c.Type, c.Nullable, tt.typ, tt.nullable)
			}
			if c.Default != nil || c.AutoIncrement {
				t.Errorf("column %q: default %v, auto increment %t", tt.column, c.Default, c.AutoIncrement)
			}
		})
	}
	var got []string
	for _, c := range tb.Columns {
		got = append(got, c.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("columns, in field order:\n got %v\nwant %v", got, want)
	}
}

func TestColumnNames(t *testing.T) {
	t.Parallel()
	type Names struct {
		ID         int64 `strata:"pk"`
		ListID     int64
		HTTPServer string
		UserName   string
		URL        string
		Version2   int
		APIKeyHash string
		Tagged     string `db:"custom_name"`
		Opts       string `db:"with_opts,omitempty"`
		Skipped    string `db:"-"`
		Empty      string `db:""`
	}
	tb, err := models.Table(Names{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range tb.Columns {
		got = append(got, c.Name)
	}
	want := []string{"id", "list_id", "http_server", "user_name", "url", "version2", "api_key_hash", "custom_name", "with_opts", "empty"}
	if !slices.Equal(got, want) {
		t.Errorf("columns:\n got %v\nwant %v", got, want)
	}
}

type Todo struct {
	ID int64 `strata:"pk"`
}

type TodoAgain struct {
	ID int64 `strata:"pk"`
}

func (TodoAgain) TableName() string { return "todos" }

type Category struct {
	ID int64 `strata:"pk"`
}

type Box struct {
	ID int64 `strata:"pk"`
}

type Address struct {
	ID int64 `strata:"pk"`
}

type Day struct {
	ID int64 `strata:"pk"`
}

type TodoList struct {
	ID int64 `strata:"pk"`
}

type Match struct {
	ID int64 `strata:"pk"`
}

type HTTPLog struct {
	ID int64 `strata:"pk"`
}

type ValueNamed struct {
	ID int64 `strata:"pk"`
}

func (ValueNamed) TableName() string { return "value_table" }

type PointerNamed struct {
	ID int64 `strata:"pk"`
}

func (*PointerNamed) TableName() string { return "pointer_table" }

type FieldNamed struct {
	ID     int64 `strata:"pk"`
	Tenant string
}

func (f FieldNamed) TableName() string {
	if f.Tenant == "" {
		return "field_named"
	}
	return f.Tenant + "_things"
}

func TestTableNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		model any
		want  string
	}{
		{"plural s", Todo{}, "todos"},
		{"plural ies", Category{}, "categories"},
		{"plural es after x", Box{}, "boxes"},
		{"plural es after s", Address{}, "addresses"},
		{"plural es after ch", Match{}, "matches"},
		{"vowel y", Day{}, "days"},
		{"snake case", TodoList{}, "todo_lists"},
		{"initialism", HTTPLog{}, "http_logs"},
		{"pointer to struct", &Todo{}, "todos"},
		{"nil pointer to struct", (*Todo)(nil), "todos"},
		{"TableName on value", ValueNamed{}, "value_table"},
		{"TableName on value, by pointer", &ValueNamed{}, "value_table"},
		{"TableName on value, by nil pointer", (*ValueNamed)(nil), "value_table"},
		{"TableName on pointer, by value", PointerNamed{}, "pointer_table"},
		{"TableName on pointer", &PointerNamed{}, "pointer_table"},
		{"TableName on pointer, by nil pointer", (*PointerNamed)(nil), "pointer_table"},
		{"TableName of the value given", FieldNamed{Tenant: "acme"}, "acme_things"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb, err := models.Table(tt.model)
			if err != nil {
				t.Fatal(err)
			}
			if tb.Name != tt.want {
				t.Errorf("table %q, want %q", tb.Name, tt.want)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	t.Parallel()
	type IntPK struct {
		ID int `strata:"pk"`
	}
	type Int32PK struct {
		ID   int32 `strata:"pk"`
		Name string
	}
	type AssignedPK struct {
		ID int64 `strata:"pk,autoincrement:false"`
	}
	type StringPK struct {
		Code string `strata:"pk"`
	}
	type SizedStringPK struct {
		Code string `strata:"pk,size:3"`
	}
	type CompositePK struct {
		ListID int64 `strata:"pk"`
		TagID  int64 `strata:"pk"`
	}
	type PointerPK struct {
		ID *int64 `strata:"pk"`
	}
	type DefaultPK struct {
		ID int64 `strata:"pk,default:1"`
	}
	type NoPK struct {
		ID int64
	}
	type col struct {
		name          string
		typ           schema.Type
		autoIncrement bool
	}
	tests := []struct {
		name  string
		model any
		pk    []string
		cols  []col
	}{
		{"single int key is auto-increment", IntPK{}, []string{"id"}, []col{{"id", int64Type, true}}},
		{"single int32 key is auto-increment", Int32PK{}, []string{"id"}, []col{{"id", int32Type, true}, {"name", textType, false}}},
		{"autoincrement:false", AssignedPK{}, []string{"id"}, []col{{"id", int64Type, false}}},
		{"string key gets a length", StringPK{}, []string{"code"}, []col{{"code", schema.StringType{Size: 255}, false}}},
		{"string key keeps its size", SizedStringPK{}, []string{"code"}, []col{{"code", schema.StringType{Size: 3}, false}}},
		{"composite key is not auto-increment", CompositePK{}, []string{"list_id", "tag_id"}, []col{{"list_id", int64Type, false}, {"tag_id", int64Type, false}}},
		{"pointer key is NOT NULL", PointerPK{}, []string{"id"}, []col{{"id", int64Type, true}}},
		{"key with a default is not auto-increment", DefaultPK{}, []string{"id"}, []col{{"id", int64Type, false}}},
		{"no key", NoPK{}, nil, []col{{"id", int64Type, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb, err := models.Table(tt.model)
			if err != nil {
				t.Fatal(err)
			}
			var pk []string
			if tb.PrimaryKey != nil {
				pk = tb.PrimaryKey.Columns
			}
			if !slices.Equal(pk, tt.pk) {
				t.Errorf("primary key %v, want %v", pk, tt.pk)
			}
			if len(tb.Columns) != len(tt.cols) {
				t.Fatalf("%d columns, want %d", len(tb.Columns), len(tt.cols))
			}
			for i, want := range tt.cols {
				c := tb.Columns[i]
				if c.Name != want.name || c.Type != want.typ || c.AutoIncrement != want.autoIncrement || c.Nullable {
					t.Errorf("column %d: %s %s auto increment %t nullable %t, want %s %s auto increment %t NOT NULL",
						i, c.Name, c.Type, c.AutoIncrement, c.Nullable, want.name, want.typ, want.autoIncrement)
				}
			}
		})
	}
}

func TestColumnOptions(t *testing.T) {
	t.Parallel()
	type Options struct {
		Sized    string  `strata:"size:200"`
		Raw      string  `strata:"type:CITEXT"`
		RawSized string  `strata:"type:numeric(10,2)"`
		Nullable int     `strata:"null"`
		Comment  string  `strata:"comment:shown to users"`
		Both     *string `strata:"size:20,comment:a"`
	}
	tb, err := models.Table(Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []*schema.Column{
		{Name: "sized", Type: schema.StringType{Size: 200}},
		{Name: "raw", Type: schema.RawType{SQL: "citext"}},
		{Name: "raw_sized", Type: schema.RawType{SQL: "numeric(10,2)"}},
		{Name: "nullable", Type: int64Type, Nullable: true},
		{Name: "comment", Type: textType, Comment: "shown to users"},
		{Name: "both", Type: schema.StringType{Size: 20}, Nullable: true, Comment: "a"},
	}
	if !reflect.DeepEqual(tb.Columns, want) {
		t.Errorf("columns:\n got %s\nwant %s", columns(tb.Columns), columns(want))
	}
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	// Comment:"a, b" splits at the comma: b is an unknown option.
	type Options struct {
		Both string `strata:"comment:a, b"`
	}
	_, err := models.Table(Options{})
	if err == nil || !strings.Contains(err.Error(), `Options.Both: tag "comment:a, b": unknown option "b"`) {
		t.Errorf("error %v, want unknown option b", err)
	}
}

func columns(cs []*schema.Column) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("\n  " + c.Name + " " + c.Type.String())
		if c.Nullable {
			b.WriteString(" null")
		}
		if c.Default != nil {
			b.WriteString(" default " + c.Default.String())
		}
		if c.AutoIncrement {
			b.WriteString(" auto increment")
		}
		if c.Comment != "" {
			b.WriteString(" comment " + c.Comment)
		}
	}
	return b.String()
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	type Defaults struct {
		Text        string    `strata:"default:hello world"`
		TextQuote   string    `strata:"default:'it''s'"`
		TextQuoted  string    `strata:"default:'a, b'"`
		TextExpr    string    `strata:"default:(lower('X'))"`
		Bool        bool      `strata:"default:TRUE"`
		BoolFalse   *bool     `strata:"default:false"`
		Int         int       `strata:"default:-42"`
		Float       float64   `strata:"default:1.5e3"`
		FloatDot    float32   `strata:"default:.5"`
		Time        time.Time `strata:"default:current_timestamp"`
		TimeUpper   time.Time `strata:"default:CURRENT_TIMESTAMP"`
		TimeLiteral time.Time `strata:"default:2000-01-01 00:00:00"`
		TimeExpr    time.Time `strata:"default:( now() )"`
		TimeNow     time.Time `strata:"default:now()"`
		TimeNow6    time.Time `strata:"default:current_timestamp(6)"`
		IntCall     int64     `strata:"default:random()"`
		TextNow     string    `strata:"default:now"`
		TextCall    string    `strata:"default:f(x)"`
		Enum        string    `strata:"enum:a|b,default:a"`
		Bytes       []byte    `strata:"default:abc"`
		Raw         string    `strata:"type:jsonb,default:'{}'"`
	}
	tb, err := models.Table(Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]schema.Default{
		"text":         schema.Literal{SQL: "'hello world'"},
		"text_quote":   schema.Literal{SQL: "'it''s'"},
		"text_quoted":  schema.Literal{SQL: "'a, b'"},
		"text_expr":    schema.Expr{SQL: "lower('X')"},
		"bool":         schema.Literal{SQL: "true"},
		"bool_false":   schema.Literal{SQL: "false"},
		"int":          schema.Literal{SQL: "-42"},
		"float":        schema.Literal{SQL: "1.5e3"},
		"float_dot":    schema.Literal{SQL: ".5"},
		"time":         schema.Expr{SQL: "CURRENT_TIMESTAMP"},
		"time_upper":   schema.Expr{SQL: "CURRENT_TIMESTAMP"},
		"time_literal": schema.Literal{SQL: "'2000-01-01 00:00:00'"},
		"time_expr":    schema.Expr{SQL: "now()"},
		"time_now":     schema.Expr{SQL: "CURRENT_TIMESTAMP"},
		"time_now6":    schema.Expr{SQL: "CURRENT_TIMESTAMP"},
		"int_call":     schema.Expr{SQL: "random()"},
		"text_now":     schema.Literal{SQL: "'now'"},
		"text_call":    schema.Literal{SQL: "'f(x)'"},
		"enum":         schema.Literal{SQL: "'a'"},
		"bytes":        schema.Literal{SQL: "'abc'"},
		"raw":          schema.Literal{SQL: "'{}'"},
	}
	for _, c := range tb.Columns {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			w, ok := want[c.Name]
			if !ok {
				t.Fatalf("unexpected column %q", c.Name)
			}
			if c.Default != w {
				t.Errorf("default %#v, want %#v", c.Default, w)
			}
		})
	}
	if len(tb.Columns) != len(want) {
		t.Errorf("%d columns, want %d", len(tb.Columns), len(want))
	}
}

func TestIndexes(t *testing.T) {
	t.Parallel()
	type Indexed struct {
		ID     int64  `strata:"pk"`
		Email  string `strata:"unique"`
		Name   string `strata:"index"`
		ListID int64  `strata:"unique:uq_list_position"`
		Pos    int    `strata:"unique:uq_list_position,index"`
		First  string `strata:"index:idx_full_name,size:50"`
		Last   string `strata:"index:idx_full_name"`
	}
	tb, err := models.Table(Indexed{})
	if err != nil {
		t.Fatal(err)
	}
	want := []*schema.Index{
		{Name: "uq_indexeds_email", Parts: schema.Columns("email"), Unique: true},
		{Name: "idx_indexeds_name", Parts: schema.Columns("name")},
		{Name: "uq_list_position", Parts: schema.Columns("list_id", "pos"), Unique: true},
		{Name: "idx_indexeds_pos", Parts: schema.Columns("pos")},
		{Name: "idx_full_name", Parts: schema.Columns("first", "last")},
	}
	if !reflect.DeepEqual(tb.Indexes, want) {
		var got []schema.Index
		for _, ix := range tb.Indexes {
			got = append(got, *ix)
		}
		t.Errorf("indexes:\n got %+v\nwant %+v", got, want)
	}
	// Indexed text needs a bound length (MySQL).
	for name, want := range map[string]schema.Type{
		"email": schema.StringType{Size: 255},
		"name":  schema.StringType{Size: 255},
		"first": schema.StringType{Size: 50},
		"last":  schema.StringType{Size: 255},
		"pos":   int64Type,
	} {
		if c, _ := tb.Column(name); c.Type != want {
			t.Errorf("column %q: type %s, want %s", name, c.Type, want)
		}
	}
}

func TestForeignKeys(t *testing.T) {
	t.Parallel()
	type Item struct {
		ID      int64  `strata:"pk"`
		ListID  int64  `strata:"fk:lists.id,ondelete:cascade"`
		OwnerID *int64 `strata:"fk:users.id,ondelete:set_null,onupdate:NO ACTION"`
		TagCode string `strata:"fk:tags.code,onupdate:restrict,ondelete:set default"`
	}
	tb, err := models.Table(Item{})
	if err != nil {
		t.Fatal(err)
	}
	want := []*schema.ForeignKey{
		{Name: "fk_items_list_id", Columns: []string{"list_id"}, RefTable: "lists", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
		{Name: "fk_items_owner_id", Columns: []string{"owner_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "SET NULL", OnUpdate: "NO ACTION"},
		{Name: "fk_items_tag_code", Columns: []string{"tag_code"}, RefTable: "tags", RefColumns: []string{"code"}, OnDelete: "SET DEFAULT", OnUpdate: "RESTRICT"},
	}
	if !reflect.DeepEqual(tb.ForeignKeys, want) {
		var got []schema.ForeignKey
		for _, fk := range tb.ForeignKeys {
			got = append(got, *fk)
		}
		t.Errorf("foreign keys:\n got %+v\nwant %+v", got, want)
	}
}

type Timestamps struct {
	CreatedAt time.Time `strata:"default:current_timestamp"`
	UpdatedAt *time.Time
}

type base struct {
	ID int64 `strata:"pk"`
}

type Post struct {
	base
	Title string
	Timestamps
	Meta Timestamps `db:"-"`
}

func TestEmbedded(t *testing.T) {
	t.Parallel()
	tb, err := models.Table(Post{})
	if err != nil {
		t.Fatal(err)
	}
	want := &schema.Table{
		Name: "posts",
		Columns: []*schema.Column{
			{Name: "id", Type: int64Type, AutoIncrement: true},
			{Name: "title", Type: textType},
			{Name: "created_at", Type: timeType, Default: schema.Expr{SQL: "CURRENT_TIMESTAMP"}},
			{Name: "updated_at", Type: timeType, Nullable: true},
		},
		PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
	}
	if !reflect.DeepEqual(tb, want) {
		t.Errorf("table:\n got %s %s\nwant %s %s", tb.Name, columns(tb.Columns), want.Name, columns(want.Columns))
	}
}

type Bad struct {
	ID      int64             `strata:"pk"`
	Size    string            `strata:"size:big"`
	Zero    string            `strata:"size:0"`
	Type    string            `strata:"type:"`
	Default int               `strata:"default:ten"`
	Bool    bool              `strata:"default:yes"`
	Empty   string            `strata:"default:"`
	Quote   string            `strata:"default:'abc"`
	Unknown string            `strata:"primary"`
	Syntax  string            `strata:"default:(1"`
	FK      int64             `strata:"fk:lists"`
	Action  int64             `strata:"fk:lists.id,ondelete:explode"`
	Lonely  int64             `strata:"ondelete:cascade"`
	Mixed1  string            `strata:"unique:ix_mixed"`
	Mixed2  string            `strata:"index:ix_mixed"`
	Map     map[string]string ``
	Array   [16]byte          ``
	Twice   string            `db:"size"`
}

func TestErrors(t *testing.T) {
	t.Parallel()
	_, err := models.Table(Bad{})
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`models: Bad.Size: tag "size:big": size must be a positive number, got "big"`,
		`models: Bad.Zero: tag "size:0": size must be a positive number, got "0"`,
		`models: Bad.Type: tag "type:": type needs a value, such as type:citext`,
		`models: Bad.Default: tag "default:ten": default ten: want a number`,
		`models: Bad.Bool: tag "default:yes": default yes: want true or false`,
		`models: Bad.Empty: tag "default:": default needs a value, such as default:0`,
		`models: Bad.Quote: tag "default:'abc": unterminated quote`,
		`models: Bad.Unknown: tag "primary": unknown option "primary"`,
		`models: Bad.Syntax: tag "default:(1": unbalanced '('`,
		`models: Bad.FK: tag "fk:lists": want fk:table.column`,
		`models: Bad.Action: tag "fk:lists.id,ondelete:explode": ondelete:explode: want cascade, set null, set default, restrict or no action`,
		`models: Bad.Lonely: tag "ondelete:cascade": ondelete needs an fk option on the same field`,
		`models: Bad.Mixed2: tag "index:ix_mixed": index "ix_mixed" is unique on one field and not on another`,
		`models: Bad.Map: Go type map[string]string has no column type; add a type:… option or skip the field with db:"-"`,
		`models: Bad.Array: Go type [16]uint8 has no column type; add a type:… option or skip the field with db:"-"`,
		`models: Bad.Twice: column "size" is already defined by another field`,
	}
	got := strings.Split(err.Error(), "\n")
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != len(want) {
		t.Errorf("error is not the errors.Join of %d errors: %#v", len(want), err)
	}
}

func TestSchema(t *testing.T) {
	t.Parallel()
	type List struct {
		ID   int64  `strata:"pk"`
		Name string `strata:"size:100,unique"`
	}
	type Item struct {
		ID     int64 `strata:"pk"`
		ListID int64 `strata:"fk:lists.id,ondelete:cascade"`
	}
	s, err := models.Schema(&Item{}, List{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	if want := []string{"items", "lists"}; !slices.Equal(names, want) {
		t.Errorf("tables %v, want %v (normalized)", names, want)
	}
	if s.Name != "" {
		t.Errorf("schema name %q", s.Name)
	}
	if s, err := models.Schema(); err != nil || len(s.Tables) != 0 {
		t.Errorf("Schema() = %v, %v", s, err)
	}
}

func TestSchemaErrors(t *testing.T) {
	t.Parallel()
	type BadA struct {
		X string `strata:"size:x"`
		Y string `strata:"nope"`
	}
	type BadB struct {
		Z chan int
	}
	tests := []struct {
		name   string
		models []any
		want   []string
	}{
		{
			name:   "every bad field of every model",
			models: []any{BadA{}, Todo{}, BadB{}},
			want: []string{
				`models: BadA.X: tag "size:x": size must be a positive number, got "x"`,
				`models: BadA.Y: tag "nope": unknown option "nope"`,
				`models: BadB.Z: Go type chan int has no column type; add a type:… option or skip the field with db:"-"`,
			},
		},
		{
			name:   "two models, one table",
			models: []any{Todo{}, TodoAgain{}},
			want:   []string{`models: two models map to table "todos"`},
		},
		{
			name:   "not a struct",
			models: []any{42, "x", nil, []Todo{}},
			want: []string{
				`models: int is not a struct`,
				`models: string is not a struct`,
				`models: <nil> is not a struct`,
				`models: []models_test.Todo is not a struct`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := models.Schema(tt.models...)
			if err == nil {
				t.Fatalf("Schema = %v, want an error", s)
			}
			if s != nil {
				t.Errorf("Schema returned a schema with its error")
			}
			if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}

func TestDefaultErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		model any
		want  string
	}{
		{"other precision of the current time", struct {
			T time.Time `strata:"default:current_timestamp(3)"`
		}{}, `default current_timestamp(3): the column keeps 6 fractional digits; write current_timestamp (the current time at the column's precision)`},
		{"current time past microseconds", struct {
			T time.Time `strata:"default:current_timestamp(9)"`
		}{}, `default current_timestamp(9): want a precision from 0 to 6`},
		{"word for int", struct {
			N int `strata:"default:ten"`
		}{}, `default ten: want a number`},
		{"fraction for int", struct {
			N int `strata:"default:1.5"`
		}{}, `default 1.5: want a whole number`},
		{"exponent for int", struct {
			N int64 `strata:"default:1e3"`
		}{}, `default 1e3: want a whole number`},
		{"infinity for float", struct {
			F float64 `strata:"default:Inf"`
		}{}, `default Inf: want a number`},
		{"NaN for float", struct {
			F float64 `strata:"default:NaN"`
		}{}, `default NaN: want a number`},
		{"hex for float", struct {
			F float64 `strata:"default:0x1p4"`
		}{}, `default 0x1p4: want a number`},
		{"underscores for int", struct {
			N int `strata:"default:1_000"`
		}{}, `default 1_000: want a number`},
		{"word for bool", struct {
			B bool `strata:"default:1"`
		}{}, `default 1: want true or false`},
		{"lone quote", struct {
			S string `strata:"default:''''"`
		}{}, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb, err := models.Table(tt.model)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("default %v accepted, want an error", tb.Columns[0].Default)
			}
			if !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("error %q, want …%s", err, tt.want)
			}
		})
	}
}

type renamedTask struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"renamed_from:name,check:(length(title) > 0)"`
	Qty   int32  `db:"qty" strata:"check:qty >= 0"`
}

func (renamedTask) TableName() string   { return "tasks" }
func (renamedTask) RenamedFrom() string { return "todos" }
func (renamedTask) BuildTable(t *schema.Table) {
	t.Indexes = append(t.Indexes, &schema.Index{Name: "ix_tasks_lower_title", Parts: []schema.IndexPart{{Expr: "lower(title)"}}})
}

func TestRenamesChecksAndBuilder(t *testing.T) {
	t.Parallel()
	renames, err := models.Renames(renamedTask{}, (*renamedTask)(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := []models.Rename{{From: "todos", To: "tasks"}, {Table: "tasks", From: "name", To: "title"}}
	if len(renames) != 4 || renames[0] != want[0] || renames[1] != want[1] {
		t.Fatalf("renames = %+v, want %+v twice", renames, want)
	}
	tb, err := models.Table(renamedTask{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Checks) != 2 || tb.Checks[0].Expr != "length(title) > 0" || tb.Checks[1].Expr != "qty >= 0" || tb.Checks[0].Name != "ck_tasks_title" {
		t.Fatalf("checks = %+v", tb.Checks)
	}
	if ix, ok := tb.Index("ix_tasks_lower_title"); !ok || ix.Parts[0].Expr != "lower(title)" {
		t.Fatalf("BuildTable's index missing: %+v", tb.Indexes)
	}
	for tag, want := range map[string]string{"check:": "check needs an expression", "renamed_from": "renamed_from needs"} {
		f := reflect.StructOf([]reflect.StructField{{Name: "X", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(`strata:"` + tag + `"`)}})
		if _, err := models.Table(reflect.New(f).Elem().Interface()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("tag %q: err = %v, want %q", tag, err, want)
		}
	}
}
