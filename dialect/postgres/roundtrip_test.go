package postgres_test

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/schema"
)

// col builds an expected column.
func col(typ schema.Type, nullable bool, def schema.Default) *schema.Column {
	return &schema.Column{Type: typ, Nullable: nullable, Default: def}
}

func lit(sql string) schema.Default  { return schema.Literal{SQL: sql} }
func expr(sql string) schema.Default { return schema.Expr{SQL: sql} }

func autoInc(typ schema.Type) *schema.Column {
	return &schema.Column{Type: typ, AutoIncrement: true}
}

func identity(typ schema.Type, kind string) *schema.Column {
	return &schema.Column{Type: typ, AutoIncrement: true, Identity: kind}
}

func withComment(c *schema.Column, comment string) *schema.Column {
	c.Comment = comment
	return c
}

var (
	int16T = schema.IntegerType{Bits: 16}
	int32T = schema.IntegerType{Bits: 32}
	int64T = schema.IntegerType{Bits: 64}
	textT  = schema.StringType{}
	// varcharT is character varying with no length, which is not text.
	varcharT = schema.RawType{SQL: "character varying"}
)

type roundTripCase struct {
	name string
	// prelude runs in both databases: objects outside the model, such as
	// user-defined types.
	prelude string
	ddl     string
	// want holds expected columns by "table.column" (the first dot
	// splits).
	want  map[string]*schema.Column
	check func(t *testing.T, s *schema.Schema)
}

var roundTripCases = []roundTripCase{
	{
		name: "integers",
		ddl:  `CREATE TABLE t (a smallint, b integer, c bigint, d int2 NOT NULL, e int4, f int8, g int)`,
		want: map[string]*schema.Column{
			"t.a": col(int16T, true, nil), "t.b": col(int32T, true, nil), "t.c": col(int64T, true, nil),
			"t.d": col(int16T, false, nil), "t.e": col(int32T, true, nil), "t.f": col(int64T, true, nil),
			"t.g": col(int32T, true, nil),
		},
	},
	{
		name: "strings",
		ddl:  `CREATE TABLE t (a varchar(20), b character varying, c text NOT NULL, d char(3), e character, f varchar(1000))`,
		want: map[string]*schema.Column{
			"t.a": col(schema.StringType{Size: 20}, true, nil),
			"t.b": col(varcharT, true, nil), // unbounded varchar stays itself
			"t.c": col(textT, false, nil),
			"t.d": col(schema.StringType{Size: 3, Fixed: true}, true, nil),
			"t.e": col(schema.StringType{Size: 1, Fixed: true}, true, nil),
			"t.f": col(schema.StringType{Size: 1000}, true, nil),
		},
	},
	{
		name: "numbers and booleans",
		ddl:  `CREATE TABLE t (a boolean, b real, c double precision, d numeric(10,2), e numeric, f decimal(5), g float8, h float4, i bool)`,
		want: map[string]*schema.Column{
			"t.a": col(schema.BoolType{}, true, nil),
			"t.b": col(schema.FloatType{Bits: 32}, true, nil),
			"t.c": col(schema.FloatType{Bits: 64}, true, nil),
			"t.d": col(schema.DecimalType{Precision: 10, Scale: 2}, true, nil),
			"t.e": col(schema.DecimalType{}, true, nil),
			"t.f": col(schema.DecimalType{Precision: 5}, true, nil),
			"t.g": col(schema.FloatType{Bits: 64}, true, nil),
			"t.h": col(schema.FloatType{Bits: 32}, true, nil),
			"t.i": col(schema.BoolType{}, true, nil),
		},
	},
	{
		name: "times",
		ddl: `CREATE TABLE t (a timestamp, b timestamp(3), c timestamptz, d timestamp(0) with time zone,
  e date, f time, g time(2) with time zone, h timestamp(6) without time zone, i timetz)`,
		want: map[string]*schema.Column{
			"t.a": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, true, nil),
			"t.b": col(schema.TimeType{Kind: schema.Timestamp, Precision: 3}, true, nil),
			"t.c": col(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, true, nil),
			"t.d": col(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 0}, true, nil),
			"t.e": col(schema.TimeType{Kind: schema.Date}, true, nil),
			"t.f": col(schema.TimeType{Kind: schema.TimeOfDay, Precision: 6}, true, nil),
			"t.g": col(schema.TimeType{Kind: schema.TimeOfDay, WithZone: true, Precision: 2}, true, nil),
			// An explicit default precision is kept as written, as pg_dump shows it.
			"t.h": col(schema.RawType{SQL: "timestamp(6) without time zone"}, true, nil),
			"t.i": col(schema.TimeType{Kind: schema.TimeOfDay, WithZone: true, Precision: 6}, true, nil),
		},
	},
	{
		name: "binary and raw types",
		ddl:  `CREATE TABLE t (a bytea, b uuid, c jsonb, d integer[], e interval, f varchar(5)[], g inet, h text[][])`,
		want: map[string]*schema.Column{
			"t.a": col(schema.BinaryType{}, true, nil),
			"t.b": col(schema.RawType{SQL: "uuid"}, true, nil),
			"t.c": col(schema.RawType{SQL: "jsonb"}, true, nil),
			"t.d": col(schema.RawType{SQL: "integer[]"}, true, nil),
			"t.e": col(schema.RawType{SQL: "interval"}, true, nil),
			"t.f": col(schema.RawType{SQL: "character varying(5)[]"}, true, nil),
			"t.g": col(schema.RawType{SQL: "inet"}, true, nil),
			"t.h": col(schema.RawType{SQL: "text[]"}, true, nil),
		},
	},
	{
		name: "user-defined types",
		ddl: `CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE "Mood" AS ENUM ('sad', 'ok');
CREATE TABLE t (a "Mood" NOT NULL DEFAULT 'ok', b posint)`,
		want: map[string]*schema.Column{
			"t.a": col(schema.EnumType{Name: "Mood"}, false, lit("'ok'")),
			"t.b": col(schema.RawType{SQL: "posint"}, true, nil),
		},
	},
	{
		name: "string defaults",
		ddl: `CREATE TABLE t (a text DEFAULT 'abc', b varchar(10) DEFAULT 'a''b', c char(2) DEFAULT 'x',
  d text DEFAULT '', e text DEFAULT '-1', f text DEFAULT E'back\\slash', g varchar DEFAULT NULL, h text DEFAULT 0)`,
		want: map[string]*schema.Column{
			"t.a": col(textT, true, lit("'abc'")),
			"t.b": col(schema.StringType{Size: 10}, true, lit("'a''b'")),
			"t.c": col(schema.StringType{Size: 2, Fixed: true}, true, lit("'x'")),
			"t.d": col(textT, true, lit("''")),
			"t.e": col(textT, true, lit("'-1'")),
			"t.f": col(textT, true, lit(`'back\slash'`)),
			"t.g": col(varcharT, true, nil),
			"t.h": col(textT, true, lit("0")),
		},
	},
	{
		name: "numeric defaults",
		ddl: `CREATE TABLE t (a integer DEFAULT 0, b integer DEFAULT -1, c bigint DEFAULT -5, d real DEFAULT 1.5,
  e double precision DEFAULT -2.5, f numeric DEFAULT 1.50, g numeric DEFAULT 1e10, h smallint DEFAULT -3,
  i bigint DEFAULT 9223372036854775807, j numeric(10,2) DEFAULT '7', k integer DEFAULT -(1), l real DEFAULT -1e-5)`,
		want: map[string]*schema.Column{
			"t.a": col(int32T, true, lit("0")),
			"t.b": col(int32T, true, lit("-1")),
			"t.c": col(int64T, true, lit("-5")),
			"t.d": col(schema.FloatType{Bits: 32}, true, lit("1.5")),
			"t.e": col(schema.FloatType{Bits: 64}, true, lit("-2.5")),
			"t.f": col(schema.DecimalType{}, true, lit("1.50")),
			"t.g": col(schema.DecimalType{}, true, lit("10000000000")),
			"t.h": col(int16T, true, lit("-3")),
			"t.i": col(int64T, true, lit("9223372036854775807")),
			"t.j": col(schema.DecimalType{Precision: 10, Scale: 2}, true, lit("7")),
			"t.k": col(int32T, true, lit("-1")),
			"t.l": col(schema.FloatType{Bits: 32}, true, lit("-0.00001")),
		},
	},
	{
		name: "boolean defaults",
		ddl:  `CREATE TABLE t (a boolean NOT NULL DEFAULT false, b boolean DEFAULT TRUE, c bool DEFAULT 't')`,
		want: map[string]*schema.Column{
			"t.a": col(schema.BoolType{}, false, lit("false")),
			"t.b": col(schema.BoolType{}, true, lit("true")),
			"t.c": col(schema.BoolType{}, true, lit("true")),
		},
	},
	{
		name: "expression defaults",
		ddl: `CREATE TABLE t (a timestamptz NOT NULL DEFAULT now(), b timestamp DEFAULT CURRENT_TIMESTAMP,
  c date DEFAULT CURRENT_DATE, d uuid DEFAULT gen_random_uuid(), e integer DEFAULT (1 + 2),
  f timestamp DEFAULT LOCALTIMESTAMP, g timestamptz DEFAULT current_timestamp, h text DEFAULT current_user,
  i timestamptz DEFAULT now() + interval '1 day')`,
		want: map[string]*schema.Column{
			"t.a": col(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, false, expr("CURRENT_TIMESTAMP")),
			"t.b": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, true, expr("CURRENT_TIMESTAMP")),
			"t.c": col(schema.TimeType{Kind: schema.Date}, true, expr("CURRENT_DATE")),
			"t.d": col(schema.RawType{SQL: "uuid"}, true, expr("gen_random_uuid()")),
			"t.e": col(int32T, true, expr("(1 + 2)")),
			"t.f": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, true, expr("LOCALTIMESTAMP")),
			"t.g": col(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, true, expr("CURRENT_TIMESTAMP")),
			"t.h": col(textT, true, expr("CURRENT_USER")),
			"t.i": col(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, true, expr("(now() + '1 day'::interval)")),
		},
	},
	{
		name: "a time literal cast to another time type keeps its cast",
		ddl: `CREATE TABLE t (a timestamptz NOT NULL DEFAULT '2001-02-03 04:05:06'::timestamp,
  c timestamp DEFAULT '2001-02-03'::date)`,
		want: map[string]*schema.Column{
			"t.a": col(schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, false, expr("'2001-02-03 04:05:06'::timestamp without time zone")),
			"t.c": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, true, expr("'2001-02-03'::date")),
		},
	},
	{
		name: "typed literal defaults",
		ddl: `CREATE TABLE t (a date DEFAULT '2020-01-02', b timestamp DEFAULT '2020-01-02 03:04:05',
  c jsonb DEFAULT '{"k": 1}', d bytea DEFAULT '\x0001', e interval DEFAULT '1 day', f integer[] DEFAULT '{}')`,
		want: map[string]*schema.Column{
			"t.a": col(schema.TimeType{Kind: schema.Date}, true, lit("'2020-01-02'")),
			"t.b": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, true, lit("'2020-01-02 03:04:05'")),
			"t.c": col(schema.RawType{SQL: "jsonb"}, true, lit(`'{"k": 1}'`)),
			"t.d": col(schema.BinaryType{}, true, lit(`'\x0001'`)),
			"t.e": col(schema.RawType{SQL: "interval"}, true, lit("'1 day'")),
			"t.f": col(schema.RawType{SQL: "integer[]"}, true, lit("'{}'")),
		},
	},
	{
		name: "identity columns",
		ddl: `CREATE TABLE a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n integer);
CREATE TABLE b (id integer GENERATED BY DEFAULT AS IDENTITY, s smallint GENERATED BY DEFAULT AS IDENTITY (START WITH 10))`,
		want: map[string]*schema.Column{
			"a.id": identity(int64T, schema.IdentityAlways),
			"a.n":  col(int32T, true, nil),
			"b.id": autoInc(int32T),
			"b.s":  withSequence(autoInc(int16T), "START WITH 10"),
		},
	},
	{
		name: "serial columns",
		ddl: `CREATE SEQUENCE shared_seq;
CREATE TABLE t (id serial PRIMARY KEY, b bigserial, s smallserial);
CREATE TABLE u (n bigint NOT NULL DEFAULT nextval('shared_seq'))`,
		want: map[string]*schema.Column{
			"t.id": identity(int32T, schema.IdentitySerial),
			"t.b":  identity(int64T, schema.IdentitySerial),
			"t.s":  identity(int16T, schema.IdentitySerial),
			// A sequence the column does not own is an ordinary default.
			"u.n": col(int64T, false, expr("nextval('shared_seq'::regclass)")),
		},
	},
	{
		name: "composite and named primary keys",
		ddl: `CREATE TABLE a (x integer, y text, z integer, PRIMARY KEY (y, x));
CREATE TABLE b (id integer, CONSTRAINT "B key" PRIMARY KEY (id));
CREATE TABLE c (v text)`,
		check: func(t *testing.T, s *schema.Schema) {
			if pk := tableOf(t, s, "a").PrimaryKey; pk == nil || pk.Name != "a_pkey" || !slices.Equal(pk.Columns, []string{"y", "x"}) {
				t.Errorf("a: primary key %+v, want a_pkey (y, x)", pk)
			}
			if pk := tableOf(t, s, "b").PrimaryKey; pk == nil || pk.Name != "B key" {
				t.Errorf("b: primary key %+v, want \"B key\"", pk)
			}
			if pk := tableOf(t, s, "c").PrimaryKey; pk != nil {
				t.Errorf("c: primary key %+v, want none", pk)
			}
			if c := column(t, s, "a", "x"); c.Nullable {
				t.Errorf("a.x: primary key column is nullable")
			}
		},
	},
	{
		name: "unique constraints and indexes",
		ddl: `CREATE TABLE t (a integer UNIQUE, b text, c text, d integer,
  CONSTRAINT "t b c" UNIQUE (b, c));
CREATE UNIQUE INDEX t_d_idx ON t (d);
CREATE INDEX t_c_b ON t (c, b);
CREATE INDEX t_desc ON t (d DESC)`,
		check: func(t *testing.T, s *schema.Schema) {
			want := []schema.Index{
				{Name: "t b c", Parts: schema.Columns("b", "c"), Unique: true, Constraint: true},
				{Name: "t_a_key", Parts: schema.Columns("a"), Unique: true, Constraint: true},
				{Name: "t_c_b", Parts: schema.Columns("c", "b")},
				{Name: "t_d_idx", Parts: schema.Columns("d"), Unique: true},
				{Name: "t_desc", Parts: []schema.IndexPart{{Column: "d", Desc: true}}},
			}
			checkIndexes(t, tableOf(t, s, "t"), want)
		},
	},
	{
		name: "expression, partial, gin and include indexes",
		ddl: `CREATE TABLE t (a text, b integer, c jsonb);
CREATE INDEX t_lower ON t (lower(a));
CREATE INDEX t_partial ON t (b) WHERE b > 0;
CREATE INDEX t_gin ON t USING gin (c);
CREATE INDEX t_include ON t (b) INCLUDE (a)`,
		check: func(t *testing.T, s *schema.Schema) {
			checkIndexes(t, tableOf(t, s, "t"), []schema.Index{
				{Name: "t_gin", Parts: schema.Columns("c"), Method: "gin"},
				{Name: "t_include", Parts: schema.Columns("b"), Include: []string{"a"}},
				{Name: "t_lower", Parts: []schema.IndexPart{{Expr: "lower(a)"}}},
				{Name: "t_partial", Parts: schema.Columns("b"), Where: "b > 0"},
			})
		},
	},
	{
		name: "foreign keys with actions",
		ddl: `CREATE TABLE parent (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE child (
  id integer PRIMARY KEY,
  p1 integer REFERENCES parent ON DELETE CASCADE,
  p2 integer REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE,
  p3 integer CONSTRAINT "Child P3" REFERENCES parent (id) ON DELETE RESTRICT,
  p4 integer DEFAULT 1 REFERENCES parent (id) ON UPDATE SET DEFAULT,
  code text REFERENCES parent (code) ON DELETE NO ACTION,
  up integer REFERENCES child (id))`,
		check: func(t *testing.T, s *schema.Schema) {
			fks := tableOf(t, s, "child").ForeignKeys
			got := map[string]string{}
			for _, fk := range fks {
				got[fk.Name] = strings.Join(fk.Columns, ",") + "->" + fk.RefTable + "(" + strings.Join(fk.RefColumns, ",") + ") " + fk.OnDelete + "/" + fk.OnUpdate
			}
			want := map[string]string{
				"child_p1_fkey":   "p1->parent(id) CASCADE/",
				"child_p2_fkey":   "p2->parent(id) SET NULL/CASCADE",
				"Child P3":        "p3->parent(id) RESTRICT/",
				"child_p4_fkey":   "p4->parent(id) /SET DEFAULT",
				"child_code_fkey": "code->parent(code) /",
				"child_up_fkey":   "up->child(id) /",
			}
			if len(got) != len(want) {
				t.Errorf("foreign keys %v, want %v", got, want)
			}
			for name, w := range want {
				if got[name] != w {
					t.Errorf("foreign key %q: %q, want %q", name, got[name], w)
				}
			}
		},
	},
	{
		name: "composite foreign key",
		ddl: `CREATE TABLE orders (region text, num integer, PRIMARY KEY (region, num));
CREATE TABLE lines (region text NOT NULL, num integer NOT NULL, line integer NOT NULL,
  PRIMARY KEY (region, num, line),
  FOREIGN KEY (num, region) REFERENCES orders (num, region) ON DELETE CASCADE)`,
		check: func(t *testing.T, s *schema.Schema) {
			fks := tableOf(t, s, "lines").ForeignKeys
			if len(fks) != 1 || !slices.Equal(fks[0].Columns, []string{"num", "region"}) ||
				!slices.Equal(fks[0].RefColumns, []string{"num", "region"}) || fks[0].OnDelete != "CASCADE" {
				t.Errorf("foreign keys %+v, want (num, region) -> orders (num, region) CASCADE", fks)
			}
		},
	},
	{
		name: "quoted, mixed-case, reserved and spaced identifiers",
		ddl: `CREATE TABLE "Order Items" ("User ID" integer NOT NULL, "select" text, "a""b" integer, "Über" text,
  CONSTRAINT "PK Order Items" PRIMARY KEY ("User ID"));
CREATE TABLE "table" ("from" integer PRIMARY KEY, "Order" integer REFERENCES "Order Items" ("User ID") ON DELETE CASCADE);
CREATE INDEX "Idx ""Odd"" Name" ON "Order Items" ("a""b", "select");
CREATE UNIQUE INDEX "where" ON "table" ("Order")`,
		want: map[string]*schema.Column{
			"Order Items.User ID": col(int32T, false, nil),
			"Order Items.select":  col(textT, true, nil),
			`Order Items.a"b`:     col(int32T, true, nil),
			"Order Items.Über":    col(textT, true, nil),
			"table.from":          col(int32T, false, nil),
			"table.Order":         col(int32T, true, nil),
		},
		check: func(t *testing.T, s *schema.Schema) {
			checkIndexes(t, tableOf(t, s, "Order Items"), []schema.Index{{Name: `Idx "Odd" Name`, Parts: schema.Columns(`a"b`, "select")}})
			checkIndexes(t, tableOf(t, s, "table"), []schema.Index{{Name: "where", Parts: schema.Columns("Order"), Unique: true}})
			if fks := tableOf(t, s, "table").ForeignKeys; len(fks) != 1 || fks[0].RefTable != "Order Items" {
				t.Errorf("foreign keys %+v, want one to \"Order Items\"", fks)
			}
		},
	},
	{
		name: "comments",
		ddl: `CREATE TABLE t (a integer, b text, c integer);
COMMENT ON TABLE t IS 'Holds the t''s';
COMMENT ON COLUMN t.a IS 'the a';
COMMENT ON COLUMN t.b IS E'back\\slash and ''quote''';`,
		want: map[string]*schema.Column{
			"t.a": withComment(col(int32T, true, nil), "the a"),
			"t.b": withComment(col(textT, true, nil), `back\slash and 'quote'`),
			"t.c": col(int32T, true, nil),
		},
		check: func(t *testing.T, s *schema.Schema) {
			if c := tableOf(t, s, "t").Comment; c != "Holds the t's" {
				t.Errorf("table comment %q", c)
			}
		},
	},
	{
		name: "nullability",
		ddl:  `CREATE TABLE t (a integer NOT NULL, b integer NULL, c text NOT NULL DEFAULT 'x', d text)`,
		want: map[string]*schema.Column{
			"t.a": col(int32T, false, nil),
			"t.b": col(int32T, true, nil),
			"t.c": col(textT, false, lit("'x'")),
			"t.d": col(textT, true, nil),
		},
	},
	{
		name: "table without columns",
		ddl:  `CREATE TABLE empty ()`,
		check: func(t *testing.T, s *schema.Schema) {
			if tb := tableOf(t, s, "empty"); len(tb.Columns) != 0 {
				t.Errorf("columns %v, want none", tb.Columns)
			}
		},
	},
	{
		name: "dropped columns and column order",
		ddl: `CREATE TABLE t (a integer, gone text, b text, c integer);
ALTER TABLE t DROP COLUMN gone;
ALTER TABLE t ADD COLUMN d boolean NOT NULL DEFAULT true`,
		check: func(t *testing.T, s *schema.Schema) {
			var names []string
			for _, c := range tableOf(t, s, "t").Columns {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, []string{"a", "b", "c", "d"}) {
				t.Errorf("columns %v, want [a b c d]", names)
			}
		},
	},
	{
		name: "views, materialized views, sequences and partitions are not tables",
		ddl: `CREATE TABLE t (a integer, d date NOT NULL) PARTITION BY RANGE (d);
CREATE TABLE t_2020 PARTITION OF t FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE VIEW v AS SELECT a FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
CREATE SEQUENCE s`,
		check: func(t *testing.T, s *schema.Schema) {
			if len(s.Tables) != 1 || s.Tables[0].Name != "t" {
				t.Errorf("tables %v, want only t", dump(s))
			}
			if len(s.Views) != 2 || s.Views[1].Name != "v" || s.Views[1].Def != "SELECT t.a\n   FROM t" || s.Views[1].Materialized ||
				s.Views[0].Name != "mv" || !s.Views[0].Materialized {
				t.Errorf("views %+v, want mv (materialized) and v", s.Views)
			}
			if len(s.Sequences) != 1 || s.Sequences[0].Name != "s" {
				t.Errorf("sequences %+v, want s (the serial ones are their columns')", s.Sequences)
			}
		},
	},
	{
		name: "many tables in dependency chain",
		// Name order is the reverse of creation order.
		ddl: `CREATE TABLE c_root (id integer PRIMARY KEY);
CREATE TABLE b_mid (id integer PRIMARY KEY, root integer NOT NULL REFERENCES c_root ON DELETE CASCADE);
CREATE TABLE a_leaf (id integer PRIMARY KEY, mid integer REFERENCES b_mid (id) ON DELETE SET NULL)`,
		check: func(t *testing.T, s *schema.Schema) {
			if len(s.Tables) != 3 || s.Tables[0].Name != "a_leaf" {
				t.Errorf("tables not in name order:\n%s", dump(s))
			}
		},
	},
}

func checkIndexes(t *testing.T, tb *schema.Table, want []schema.Index) {
	t.Helper()
	if len(tb.Indexes) != len(want) {
		t.Errorf("table %q: indexes %s, want %d", tb.Name, dump(&schema.Schema{Tables: []*schema.Table{tb}}), len(want))
		return
	}
	for i, w := range want {
		g := tb.Indexes[i]
		if g.Name != w.Name || !schema.IndexEqual(g, &w) {
			t.Errorf("table %q: index %d = %+v, want %+v", tb.Name, i, *g, w)
		}
	}
}

// TestRoundTrip applies DDL to a fresh database, inspects it, renders
// the ops that build the inspected schema from nothing (diff.Schemas, each
// op rendered against the schema so far, as autogenerate does) into a
// second database, inspects that, and wants the same schema. Each case
// also pins what the first inspection must report, and checks that
// Canonical leaves an inspected schema as it is.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	cases := append(slices.Clone(roundTripCases), moreRoundTripCases...)
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	names := map[string]bool{}
	for _, tc := range cases {
		if names[tc.name] {
			t.Fatalf("two cases named %q", tc.name)
		}
		names[tc.name] = true
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db1, d := freshDB(t)
			mustExec(t, db1, splitStatements(tc.prelude)...)
			mustExec(t, db1, splitStatements(tc.ddl)...)
			first := inspect(t, d, db1)
			if len(first.Tables) == 0 && len(first.Enums) == 0 && len(first.Views) == 0 {
				t.Fatalf("inspected nothing")
			}
			if first.Name != "public" {
				t.Errorf("schema name %q, want public", first.Name)
			}
			for key, w := range tc.want {
				table, name, _ := strings.Cut(key, ".")
				if diff := schema.ColumnDifference(column(t, first, table, name), w); diff != "" {
					t.Errorf("column %s: %s", key, diff)
				}
			}
			if tc.check != nil {
				tc.check(t, first)
			}

			canon := first.Clone()
			d.Canonical(canon)
			assertSame(t, first, canon)

			// The same database, emptied, saves creating a second one.
			mustExec(t, db1, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
			mustExec(t, db1, splitStatements(tc.prelude)...)
			if s := inspect(t, d, db1); len(s.Tables)+len(s.Views)+len(s.Enums) > 0 {
				t.Fatalf("public not empty:\n%s", dump(s))
			}
			build(t, db1, d, first)
			second := inspect(t, d, db1)
			assertSame(t, first, second)
		})
	}
}

// build creates the objects of s in an empty database: the ops of
// diff.Schemas from nothing, each rendered against the schema so far.
func build(t *testing.T, db *sql.DB, d *postgres.Dialect, s *schema.Schema) {
	t.Helper()
	ops, err := diff.Schemas(&schema.Schema{}, s)
	if err != nil {
		t.Fatalf("diff: %v", err)
	}
	running := &schema.Schema{}
	for _, o := range ops {
		applyOp(t, db, d, running, o)
		if err := o.Apply(running); err != nil {
			t.Fatalf("Apply(%s): %v", o, err)
		}
	}
}

// splitStatements splits DDL at semicolons that end a line.
func splitStatements(ddl string) []string {
	var out []string
	for _, s := range strings.Split(ddl, ";\n") {
		if s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";")); s != "" {
			out = append(out, s)
		}
	}
	return out
}
