package mysql

import (
	"database/sql"
	"testing"

	"github.com/strata-go/strata/schema"
)

func TestParseType(t *testing.T) {
	cases := []struct {
		in   string
		want schema.Type
	}{
		// MariaDB keeps display widths, MySQL 8 drops them but for tinyint(1):
		// the default ones read as the type, a width of the user's own is
		// kept as written.
		{"tinyint(1)", schema.BoolType{}},
		{"tinyint(4)", schema.IntegerType{Bits: 8}},
		{"tinyint", schema.IntegerType{Bits: 8}},
		{"tinyint(1) unsigned", schema.RawType{SQL: "tinyint(1) unsigned"}},
		{"int(4)", schema.RawType{SQL: "int(4)"}},
		{"bigint(11)", schema.RawType{SQL: "bigint(11)"}},
		{"smallint(6)", schema.IntegerType{Bits: 16}},
		{"int(11)", schema.IntegerType{Bits: 32}},
		{"int", schema.IntegerType{Bits: 32}},
		{"int(10) unsigned", schema.IntegerType{Bits: 32, Unsigned: true}},
		{"int unsigned", schema.IntegerType{Bits: 32, Unsigned: true}},
		{"bigint(20) unsigned", schema.IntegerType{Bits: 64, Unsigned: true}},
		{"BIGINT UNSIGNED", schema.IntegerType{Bits: 64, Unsigned: true}},
		{"int(10) unsigned zerofill", schema.RawType{SQL: "int(10) unsigned zerofill"}},
		{"mediumint(9)", schema.RawType{SQL: "mediumint"}},
		{"mediumint(8) unsigned", schema.RawType{SQL: "mediumint unsigned"}},
		{"varchar(255)", schema.StringType{Size: 255}},
		{"char(10)", schema.StringType{Size: 10, Fixed: true}},
		{"text", schema.StringType{}},
		{"longtext", schema.RawType{SQL: "longtext"}},
		{"float", schema.FloatType{Bits: 32}},
		{"double", schema.FloatType{Bits: 64}},
		{"float(10,2)", schema.RawType{SQL: "float(10,2)"}},
		{"double unsigned", schema.RawType{SQL: "double unsigned"}},
		{"decimal(10,2)", schema.DecimalType{Precision: 10, Scale: 2}},
		{"DECIMAL", schema.DecimalType{Precision: 10}},
		{"decimal(10,2) unsigned", schema.RawType{SQL: "decimal(10,2) unsigned"}},
		{"datetime", schema.TimeType{Kind: schema.Timestamp}},
		{"datetime(6)", schema.TimeType{Kind: schema.Timestamp, Precision: 6}},
		{"timestamp(6)", schema.RawType{SQL: "timestamp(6)"}},
		{"date", schema.TimeType{Kind: schema.Date}},
		{"time(3)", schema.TimeType{Kind: schema.TimeOfDay, Precision: 3}},
		{"blob", schema.BinaryType{}},
		{"varbinary(16)", schema.RawType{SQL: "varbinary(16)"}},
		{"binary(16)", schema.RawType{SQL: "binary(16)"}},
		{"year(4)", schema.RawType{SQL: "year"}},
		{"year", schema.RawType{SQL: "year"}},
		{"ENUM('Small','LARGE')", schema.RawType{SQL: "enum('Small','LARGE')"}},
		{"set('a','B C')", schema.RawType{SQL: "set('a','B C')"}},
		{"json", schema.RawType{SQL: "json"}},
	}
	for _, tc := range cases {
		if got := parseType(tc.in); got != tc.want {
			t.Errorf("parseType(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalType(t *testing.T) {
	types := []schema.Type{
		schema.IntegerType{Bits: 8}, schema.IntegerType{Bits: 16, Unsigned: true},
		schema.IntegerType{Bits: 32}, schema.IntegerType{Bits: 64, Unsigned: true},
		schema.BoolType{}, schema.StringType{}, schema.StringType{Size: 20},
		schema.StringType{Size: 2, Fixed: true}, schema.StringType{Fixed: true},
		schema.FloatType{Bits: 32}, schema.FloatType{Bits: 64},
		schema.DecimalType{}, schema.DecimalType{Precision: 12, Scale: 4},
		schema.TimeType{Kind: schema.Timestamp}, schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6},
		schema.TimeType{Kind: schema.Date}, schema.TimeType{Kind: schema.TimeOfDay, Precision: 2},
		schema.BinaryType{}, schema.BinaryType{Size: 16},
		schema.RawType{SQL: "mediumint unsigned"}, schema.RawType{SQL: "enum('a','B')"},
	}
	for _, typ := range types {
		c := canonicalType(typ)
		if again := canonicalType(c); again != c {
			t.Errorf("canonicalType(%v) = %v, but canonicalType of that is %v", typ, c, again)
		}
		if _, raw := c.(schema.RawType); raw {
			switch typ.(type) {
			case schema.RawType, schema.BinaryType:
			default:
				t.Errorf("canonicalType(%v) = raw %v", typ, c)
			}
		}
	}
	if got, want := canonicalType(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}), (schema.TimeType{Kind: schema.Timestamp, Precision: 6}); got != want {
		t.Errorf("timestamp with zone: %v, want %v (DATETIME)", got, want)
	}
}

func TestParseDefault(t *testing.T) {
	mysql8 := parseServer("8.0.36")
	mariaDB := parseServer("10.11.19-MariaDB-0+deb12u1")
	null := sql.NullString{}
	str := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
	cases := []struct {
		srv             server
		raw             sql.NullString
		dataType, extra string
		want            schema.Default
	}{
		{mysql8, null, "varchar", "", nil},
		{mysql8, str("abc"), "varchar", "", schema.Literal{SQL: "'abc'"}},
		{mysql8, str("it's"), "varchar", "", schema.Literal{SQL: "'it''s'"}},
		{mysql8, str(`a\b`), "varchar", "", schema.Literal{SQL: `'a\\b'`}},
		{mysql8, str("NULL"), "varchar", "", schema.Literal{SQL: "'NULL'"}},
		{mysql8, str("5"), "varchar", "", schema.Literal{SQL: "'5'"}},
		{mysql8, str("5"), "int", "", schema.Literal{SQL: "5"}},
		{mysql8, str("0"), "tinyint", "", schema.Literal{SQL: "0"}},
		{mysql8, str("1.50"), "decimal", "", schema.Literal{SQL: "1.50"}},
		{mysql8, str("b'101'"), "bit", "", schema.Literal{SQL: "b'101'"}},
		{mysql8, str("0x616263"), "varbinary", "", schema.Literal{SQL: "0x616263"}},
		{mysql8, str("2020-01-01 00:00:00"), "datetime", "", schema.Literal{SQL: "'2020-01-01 00:00:00'"}},
		{mysql8, str("CURRENT_TIMESTAMP"), "timestamp", "DEFAULT_GENERATED", schema.Expr{SQL: "CURRENT_TIMESTAMP"}},
		{mysql8, str("CURRENT_TIMESTAMP(6)"), "datetime", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)", schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}},
		{parseServer("5.7.44"), str("CURRENT_TIMESTAMP"), "timestamp", "", schema.Expr{SQL: "CURRENT_TIMESTAMP"}},
		{mysql8, str("uuid()"), "char", "DEFAULT_GENERATED", schema.Expr{SQL: "uuid()"}},
		{mysql8, str("curdate()"), "date", "DEFAULT_GENERATED", schema.Expr{SQL: "curdate()"}},
		{mariaDB, null, "int", "", nil},
		{mariaDB, str("NULL"), "int", "", nil},
		{mariaDB, str("'NULL'"), "varchar", "", schema.Literal{SQL: "'NULL'"}},
		{mariaDB, str("'it''s'"), "varchar", "", schema.Literal{SQL: "'it''s'"}},
		{mariaDB, str(`'a\\b'`), "varchar", "", schema.Literal{SQL: `'a\\b'`}},
		{mariaDB, str(`'a\nb'`), "varchar", "", schema.Literal{SQL: "'a\nb'"}},
		{mariaDB, str("5"), "int", "", schema.Literal{SQL: "5"}},
		{mariaDB, str("-1250"), "double", "", schema.Literal{SQL: "-1250"}},
		{mariaDB, str("b'101'"), "bit", "", schema.Literal{SQL: "b'101'"}},
		{mariaDB, str("current_timestamp()"), "datetime", "", schema.Expr{SQL: "CURRENT_TIMESTAMP"}},
		{mariaDB, str("current_timestamp(6)"), "datetime", "", schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}},
		{mariaDB, str("uuid()"), "char", "", schema.Expr{SQL: "uuid()"}},
		{mariaDB, str("(1 + 1)"), "int", "", schema.Expr{SQL: "1 + 1"}},
		// MariaDB before 10.2.7 printed values bare, like MySQL.
		{parseServer("10.1.48-MariaDB"), str("abc"), "varchar", "", schema.Literal{SQL: "'abc'"}},
	}
	for _, tc := range cases {
		if got := tc.srv.parseDefault(tc.raw, tc.dataType, tc.extra); got != tc.want {
			t.Errorf("%s: parseDefault(%q, %s, %q) = %#v, want %#v", tc.srv.version, tc.raw.String, tc.dataType, tc.extra, got, tc.want)
		}
	}
}

func TestCanonicalDefault(t *testing.T) {
	cases := []struct {
		typ  schema.Type
		in   schema.Default
		want schema.Default
	}{
		{schema.BoolType{}, schema.Literal{SQL: "false"}, schema.Literal{SQL: "0"}},
		{schema.BoolType{}, schema.Literal{SQL: "TRUE"}, schema.Literal{SQL: "1"}},
		{schema.IntegerType{Bits: 32}, schema.Literal{SQL: "'42'"}, schema.Literal{SQL: "42"}},
		{schema.IntegerType{Bits: 32}, schema.Literal{SQL: "(-3)"}, schema.Literal{SQL: "-3"}},
		{schema.DecimalType{Precision: 10, Scale: 2}, schema.Literal{SQL: "1.5"}, schema.Literal{SQL: "1.50"}},
		{schema.DecimalType{Precision: 10, Scale: 2}, schema.Literal{SQL: "-0.5"}, schema.Literal{SQL: "-0.50"}},
		{schema.DecimalType{}, schema.Literal{SQL: "7"}, schema.Literal{SQL: "7"}},
		{schema.FloatType{Bits: 64}, schema.Literal{SQL: "1.50"}, schema.Literal{SQL: "1.5"}},
		{schema.StringType{Size: 5}, schema.Literal{SQL: "5"}, schema.Literal{SQL: "'5'"}},
		{schema.StringType{Size: 5}, schema.Literal{SQL: `'it\'s'`}, schema.Literal{SQL: "'it''s'"}},
		{schema.StringType{Size: 5}, schema.Literal{SQL: "NULL"}, nil},
		{schema.StringType{Size: 5}, schema.Literal{SQL: "''"}, schema.Literal{SQL: "''"}},
		{schema.TimeType{Kind: schema.Timestamp, Precision: 3}, schema.Literal{SQL: "'2020-01-02'"}, schema.Literal{SQL: "'2020-01-02 00:00:00.000'"}},
		{schema.TimeType{Kind: schema.Date}, schema.Literal{SQL: "'2020-01-02 10:00:00'"}, schema.Literal{SQL: "'2020-01-02'"}},
		{schema.TimeType{Kind: schema.TimeOfDay}, schema.Literal{SQL: "'9:30'"}, schema.Literal{SQL: "'09:30:00'"}},
		{schema.TimeType{Kind: schema.Timestamp}, schema.Expr{SQL: "now()"}, schema.Expr{SQL: "CURRENT_TIMESTAMP"}},
		{schema.TimeType{Kind: schema.Timestamp, Precision: 6}, schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}, schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}},
		{schema.StringType{Size: 36}, schema.Expr{SQL: "(UUID())"}, schema.Expr{SQL: "UUID()"}},
		// The current time at a column's precision: MariaDB reports it so.
		{schema.TimeType{Kind: schema.Timestamp, Precision: 6}, schema.Expr{SQL: "CURRENT_TIMESTAMP"}, schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}},
		{schema.TimeType{Kind: schema.Timestamp, Precision: 3}, schema.Expr{SQL: "now()"}, schema.Expr{SQL: "CURRENT_TIMESTAMP(3)"}},
		{schema.StringType{Size: 5}, schema.Expr{SQL: "lcase('X')"}, schema.Expr{SQL: "lower('X')"}},
		{schema.StringType{Size: 5}, schema.Expr{SQL: "concat('lcase(', UCASE('a'))"}, schema.Expr{SQL: "concat('lcase(', upper('a'))"}},
		{schema.RawType{SQL: "bit(3)"}, schema.Literal{SQL: "b'101'"}, schema.Literal{SQL: "b'101'"}},
	}
	for _, tc := range cases {
		got := canonicalDefault(canonicalType(tc.typ), tc.in)
		if got != tc.want {
			t.Errorf("canonicalDefault(%v, %v) = %#v, want %#v", tc.typ, tc.in, got, tc.want)
		}
		if again := canonicalDefault(canonicalType(tc.typ), got); again != got {
			t.Errorf("canonicalDefault is not idempotent on %v: %#v", got, again)
		}
	}
}

func TestParseServer(t *testing.T) {
	cases := []struct {
		in                  string
		mariaDB             bool
		major, minor, patch int
		quotes              bool
	}{
		{"8.0.36", false, 8, 0, 36, false},
		{"8.4.2-0ubuntu0.24.04.1", false, 8, 4, 2, false},
		{"10.11.19-MariaDB-0+deb12u1", true, 10, 11, 19, true},
		{"5.5.5-10.6.18-MariaDB-log", true, 10, 6, 18, true},
		{"10.2.6-MariaDB", true, 10, 2, 6, false},
	}
	for _, tc := range cases {
		s := parseServer(tc.in)
		if s.mariaDB != tc.mariaDB || s.major != tc.major || s.minor != tc.minor || s.patch != tc.patch || s.quotesDefaults() != tc.quotes {
			t.Errorf("parseServer(%q) = %+v, quotes %t", tc.in, s, s.quotesDefaults())
		}
	}
}

func FuzzQuoteString(f *testing.F) {
	for _, s := range []string{"", "plain", "it's", `back\slash`, `\'`, "''", "line\nbreak", `\%_`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quoteString(s)
		got, ok := unquoteString(q)
		if !ok || got != s {
			t.Errorf("unquoteString(quoteString(%q)) = %q, %t", s, got, ok)
		}
	})
}
