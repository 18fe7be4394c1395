package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/schema"
)

func TestParseType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want schema.Type
	}{
		{"smallint", schema.IntegerType{Bits: 16}},
		{"int2", schema.IntegerType{Bits: 16}},
		{"integer", schema.IntegerType{Bits: 32}},
		{"INT", schema.IntegerType{Bits: 32}},
		{"bigint", schema.IntegerType{Bits: 64}},
		{"character varying(20)", schema.StringType{Size: 20}},
		{"character varying", schema.RawType{SQL: "character varying"}},
		{"varchar", schema.RawType{SQL: "character varying"}},
		{"VARCHAR ( 7 )", schema.StringType{Size: 7}},
		{"text", schema.StringType{}},
		{"character(3)", schema.StringType{Size: 3, Fixed: true}},
		{"char", schema.StringType{Size: 1, Fixed: true}},
		{"bpchar", schema.RawType{SQL: "bpchar"}},
		{"boolean", schema.BoolType{}},
		{"real", schema.FloatType{Bits: 32}},
		{"double precision", schema.FloatType{Bits: 64}},
		{"float(25)", schema.FloatType{Bits: 64}},
		{"numeric(10,2)", schema.DecimalType{Precision: 10, Scale: 2}},
		{"numeric", schema.DecimalType{}},
		{"timestamp without time zone", schema.TimeType{Kind: schema.Timestamp, Precision: 6}},
		{"timestamp(3) without time zone", schema.TimeType{Kind: schema.Timestamp, Precision: 3}},
		{"timestamp(0) with time zone", schema.TimeType{Kind: schema.Timestamp, WithZone: true}},
		{"timestamptz", schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}},
		{"date", schema.TimeType{Kind: schema.Date}},
		{"time(2) with time zone", schema.TimeType{Kind: schema.TimeOfDay, WithZone: true, Precision: 2}},
		{"time without time zone", schema.TimeType{Kind: schema.TimeOfDay, Precision: 6}},
		{"bytea", schema.BinaryType{}},
		{"uuid", schema.RawType{SQL: "uuid"}},
		{"integer[]", schema.RawType{SQL: "integer[]"}},
		{"timestamp(3) with time zone[]", schema.RawType{SQL: "timestamp(3) with time zone[]"}},
		{`"MyType"`, schema.RawType{SQL: `"MyType"`}},
		{`public."My  Type"`, schema.RawType{SQL: `public."My  Type"`}},
		{"date with time zone", schema.RawType{SQL: "date with time zone"}},
		{"bigint(5)", schema.RawType{SQL: "bigint(5)"}},
	}
	for _, tc := range tests {
		if got := postgres.ParseType(tc.in); got != tc.want {
			t.Errorf("ParseType(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestParseDefault(t *testing.T) {
	t.Parallel()
	lit := func(s string) schema.Default { return schema.Literal{SQL: s} }
	expr := func(s string) schema.Default { return schema.Expr{SQL: s} }
	tests := []struct {
		in   string
		want schema.Default
	}{
		{"", nil},
		{"NULL", nil},
		{"NULL::character varying", nil},
		{"'abc'::text", lit("'abc'")},
		{"'abc'::character varying", lit("'abc'")},
		{"'a''b'::text", lit("'a''b'")},
		{"'it''s'", lit("'it''s'")},
		{"'-1'::integer", lit("-1")},
		{"'-1'::text", lit("'-1'")},
		{"'1000'::numeric", lit("1000")},
		{"'-0.00001'::numeric", lit("-0.00001")},
		{"'9223372036854775807'::bigint", lit("9223372036854775807")},
		{"'x'::integer", lit("'x'")},
		{"0", lit("0")},
		{"1.50", lit("1.50")},
		{"1e3", lit("1000")},
		{"-2.5e-2", lit("-0.025")},
		{"false", lit("false")},
		{"TRUE", lit("true")},
		{"now()", expr("CURRENT_TIMESTAMP")},
		{"CURRENT_TIMESTAMP", expr("CURRENT_TIMESTAMP")},
		{"current_timestamp", expr("CURRENT_TIMESTAMP")},
		{"current_date", expr("CURRENT_DATE")},
		{"CURRENT_TIMESTAMP(3)", expr("CURRENT_TIMESTAMP(3)")},
		{"nextval('t_id_seq'::regclass)", expr("nextval('t_id_seq'::regclass)")},
		{"'2020-01-01 00:00:00'::timestamp without time zone", lit("'2020-01-01 00:00:00'")},
		{"'{}'::integer[]", lit("'{}'")},
		{`'\x00'::bytea`, lit(`'\x00'`)},
		{`'x'::"MyType"`, lit("'x'")},
		{"'a'::text || 'b'::text", expr("'a'::text || 'b'::text")},
		{"('now'::text)::date", expr("('now'::text)::date")},
		{"'1 day'::interval + '1 hour'::interval", expr("'1 day'::interval + '1 hour'::interval")},
		{"(1 + 2)", expr("(1 + 2)")},
		{"lower('X'::text)", expr("lower('X')")},
		{"concat('a'::text, 'b'::text)", expr("concat('a', 'b')")},
		{"f('a'::text || 'b'::text)", expr("f('a'::text || 'b'::text)")},
	}
	for _, tc := range tests {
		if got := postgres.ParseDefault(tc.in); got != tc.want {
			t.Errorf("ParseDefault(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

// TestObjectName creates unnamed keys with long and multi-byte names and
// wants the names PostgreSQL chose to be the ones objectName predicts.
func TestObjectName(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	tables := []struct{ table, column string }{
		{"short", "id"},
		{strings.Repeat("t", 63), strings.Repeat("c", 63)},
		{strings.Repeat("ü", 31), strings.Repeat("é", 20)},
		{"Mixed Case", "Ref Col"},
	}
	mustExec(t, db, `CREATE TABLE parent (id integer PRIMARY KEY)`)
	for _, tc := range tables {
		mustExec(t, db, fmt.Sprintf("CREATE TABLE %s (%s integer PRIMARY KEY REFERENCES parent)", d.QuoteIdent(tc.table), d.QuoteIdent(tc.column)))
	}
	s := inspect(t, d, db)
	for _, tc := range tables {
		tb := tableOf(t, s, tc.table)
		if want := postgres.ObjectName(tc.table, "", "pkey"); tb.PrimaryKey.Name != want {
			t.Errorf("%q: primary key %q, objectName %q", tc.table, tb.PrimaryKey.Name, want)
		}
		if want := postgres.ObjectName(tc.table, tc.column, "fkey"); tb.ForeignKeys[0].Name != want {
			t.Errorf("%q: foreign key %q, objectName %q", tc.table, tb.ForeignKeys[0].Name, want)
		}
	}
	if got := postgres.TruncateIdent(strings.Repeat("ü", 40)); got != strings.Repeat("ü", 31) {
		t.Errorf("TruncateIdent split a character: %q", got)
	}
}

// TestQuoteString wants every string to read back unchanged from the
// literal quoteString makes of it.
func TestQuoteString(t *testing.T) {
	t.Parallel()
	db, _ := freshDB(t)
	for _, s := range []string{"", "plain", "it's", `back\slash`, `\'`, "two\nlines", "Ünïcode", `''\\`} {
		var got string
		if err := db.QueryRowContext(context.Background(), "SELECT "+postgres.QuoteString(s)).Scan(&got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got != s {
			t.Errorf("QuoteString(%q) read back as %q", s, got)
		}
	}
}

// FuzzCanonicalType wants canonicalType to be idempotent: a type from
// parseType renders to a spelling that parses to itself.
func FuzzCanonicalType(f *testing.F) {
	for _, s := range []string{"int", "varchar(3)", "timestamp(2) with time zone", "numeric(5, 1)", "char", "int[][]", `"X"`, "time", "float(3)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ := postgres.ParseType(s)
		if again := postgres.CanonicalType(typ); again != typ {
			t.Errorf("ParseType(%q) = %#v, but canonical %#v", s, typ, again)
		}
	})
}

// FuzzParseDefault wants a parsed default to parse to itself once
// rendered.
func FuzzParseDefault(f *testing.F) {
	for _, s := range []string{"'a'::text", "'-1'::integer", "1e3", "now()", "NULL", "'x''y'", "true", "(1 + 2)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := postgres.ParseDefault(s)
		if d == nil {
			return
		}
		if again := postgres.ParseDefault(postgres.FormatDefault(d)); again != d {
			t.Errorf("ParseDefault(%q) = %#v, but again %#v", s, d, again)
		}
	})
}

// TestColumnDefaultTimestampUTC: a timestamp with time zone default reads
// the same from a model (with or without an offset) and from the server
// (printed in the session's time zone): in UTC.
func TestColumnDefaultTimestampUTC(t *testing.T) {
	tz := schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}
	tests := []struct {
		in   string
		typ  schema.Type
		want schema.Default
	}{
		{"'2000-01-02 03:04:05'", tz, schema.Literal{SQL: "'2000-01-02 03:04:05+00'"}},
		{"'2000-01-02 03:04:05+00'::timestamp with time zone", tz, schema.Literal{SQL: "'2000-01-02 03:04:05+00'"}},
		{"'2000-01-02 04:04:05+01'::timestamp with time zone", tz, schema.Literal{SQL: "'2000-01-02 03:04:05+00'"}},
		{"'2000-01-02 08:34:05.25+05:30'::timestamp with time zone", tz, schema.Literal{SQL: "'2000-01-02 03:04:05.25+00'"}},
		{"'2000-01-02T03:04:05Z'", tz, schema.Literal{SQL: "'2000-01-02 03:04:05+00'"}},
		{"'infinity'::timestamp with time zone", tz, schema.Literal{SQL: "'infinity'"}},
		// Without a zone the literal is kept as written.
		{"'2000-01-02 03:04:05'", schema.TimeType{Kind: schema.Timestamp}, schema.Literal{SQL: "'2000-01-02 03:04:05'"}},
	}
	for _, tc := range tests {
		if got := postgres.ColumnDefault(tc.in, tc.typ); got != tc.want {
			t.Errorf("ColumnDefault(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

// TestCheckSpelling: a check reads the same as written in a model and as
// pg_get_constraintdef prints it.
func TestCheckSpelling(t *testing.T) {
	tests := []struct{ in, want string }{
		{"status::text <> 'x'::text AND length(status::text) > 0", "status <> 'x' AND length(status) > 0"},
		{"status <> 'x' and length(status) > 0", "status <> 'x' AND length(status) > 0"},
		{"name::character varying <> ''::character varying", "name <> ''"},
		{"note <> 'a::text and b'", "note <> 'a::text and b'"},
		{`"Mixed"::text <> 'x'`, `"Mixed" <> 'x'`},
		{"tags::text[] <> '{}'", "tags::text[] <> '{}'"},
		{"(x)::date > '2000-01-01'", "(x)::date > '2000-01-01'"},
		{"android > 0 or not ok", "android > 0 OR NOT ok"},
	}
	for _, tc := range tests {
		if got := postgres.CheckSpelling(tc.in); got != tc.want {
			t.Errorf("CheckSpelling(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
