package sqlite_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/schema"
)

type roundTripCase struct {
	name, ddl string
	// check asserts what the DDL meant, on the inspected schema.
	check func(t *testing.T, s *schema.Schema)
}

func column(t *testing.T, s *schema.Schema, table, name string) *schema.Column {
	t.Helper()
	tb := table1(t, s, table)
	c, ok := tb.Column(name)
	if !ok {
		t.Fatalf("table %q has no column %q", table, name)
	}
	return c
}

func table1(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	tb, ok := s.Table(name)
	if !ok {
		t.Fatalf("no table %q", name)
	}
	return tb
}

func index1(t *testing.T, s *schema.Schema, table, name string) *schema.Index {
	t.Helper()
	ix, ok := table1(t, s, table).Index(name)
	if !ok {
		t.Fatalf("table %q has no index %q: %+v", table, name, table1(t, s, table).Indexes)
	}
	return ix
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// wantColumns checks the type, nullability and default of columns by name.
func wantColumn(table, name string, typ schema.Type, nullable bool, def schema.Default) func(*testing.T, *schema.Schema) {
	return func(t *testing.T, s *schema.Schema) {
		t.Helper()
		c := column(t, s, table, name)
		eq(t, name+" type", c.Type, typ)
		eq(t, name+" nullable", c.Nullable, nullable)
		eq(t, name+" default", c.Default, def)
	}
}

func all(checks ...func(*testing.T, *schema.Schema)) func(*testing.T, *schema.Schema) {
	return func(t *testing.T, s *schema.Schema) {
		t.Helper()
		for _, c := range checks {
			c(t, s)
		}
	}
}

var (
	int64T = schema.IntegerType{Bits: 64}
	textT  = schema.StringType{}
)

func lit(s string) schema.Default  { return schema.Literal{SQL: s} }
func expr(s string) schema.Default { return schema.Expr{SQL: s} }

var roundTripCases = []roundTripCase{
	// Types and affinity.
	{"rowid alias", `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)`, func(t *testing.T, s *schema.Schema) {
		c := column(t, s, "t", "id")
		eq(t, "auto increment", c.AutoIncrement, true)
		eq(t, "identity", c.Identity, "")
	}},
	{"autoincrement keyword", `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)`, func(t *testing.T, s *schema.Schema) {
		c := column(t, s, "t", "id")
		eq(t, "auto increment", c.AutoIncrement, true)
		eq(t, "identity", c.Identity, schema.IdentityKeyword)
	}},
	{"autoincrement lower case quoted", `create table "T" ("Id" integer primary key autoincrement)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "identity", column(t, s, "T", "Id").Identity, schema.IdentityKeyword)
	}},
	{"int primary key is no alias", `CREATE TABLE t (id INT PRIMARY KEY)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "auto increment", column(t, s, "t", "id").AutoIncrement, false)
	}},
	{"integer primary key desc is no alias", `CREATE TABLE t (id INTEGER PRIMARY KEY DESC, v TEXT)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "auto increment", column(t, s, "t", "id").AutoIncrement, false)
	}},
	{"without rowid integer key is no alias", `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID`, func(t *testing.T, s *schema.Schema) {
		eq(t, "auto increment", column(t, s, "t", "id").AutoIncrement, false)
	}},
	{"bigint pk", `CREATE TABLE t (id BIGINT PRIMARY KEY)`, nil},
	{"not null default", `CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, s VARCHAR(20) DEFAULT 'x', b BOOLEAN NOT NULL DEFAULT false)`, all(
		wantColumn("t", "n", int64T, false, lit("0")),
		wantColumn("t", "s", schema.StringType{Size: 20}, true, lit("'x'")),
		wantColumn("t", "b", schema.BoolType{}, false, lit("false")),
	)},
	{"types", `CREATE TABLE t (a BIGINT, b SMALLINT, c REAL, d DOUBLE PRECISION, e DECIMAL(10,2), f NUMERIC, g DATETIME, h DATE, i TIME, j BLOB, k CHAR(3), l CLOB, m JSON)`, all(
		wantColumn("t", "d", schema.FloatType{Bits: 64}, true, nil),
		wantColumn("t", "e", schema.DecimalType{Precision: 10, Scale: 2}, true, nil),
		wantColumn("t", "k", schema.StringType{Size: 3, Fixed: true}, true, nil),
		wantColumn("t", "m", schema.RawType{SQL: "json"}, true, nil),
	)},
	{"type letter case", `CREATE TABLE t (a VarChar(10), b tExT, c Integer, d BOOLEAN, e bool)`, all(
		wantColumn("t", "a", schema.StringType{Size: 10}, true, nil),
		wantColumn("t", "b", textT, true, nil),
		wantColumn("t", "c", int64T, true, nil),
		wantColumn("t", "e", schema.BoolType{}, true, nil),
	)},
	{"affinity of unknown names", `CREATE TABLE t (a VARCHAR2(30), b UNSIGNED INTEGER, c FLOATING POINT, d STRING, e NVARCHAR(5), f MEDIUMINT, g BIGTEXT)`, all(
		wantColumn("t", "a", schema.StringType{Size: 30}, true, nil),
		wantColumn("t", "b", int64T, true, nil),
		// SQLite's own example: FLOATING POINT has integer affinity.
		wantColumn("t", "c", int64T, true, nil),
		wantColumn("t", "d", schema.RawType{SQL: "string"}, true, nil),
		wantColumn("t", "g", textT, true, nil),
	)},
	{"no declared type", `CREATE TABLE t (a, b NOT NULL DEFAULT 1)`, wantColumn("t", "a", schema.RawType{}, true, nil)},
	{"types with spaces", `CREATE TABLE t (a  DOUBLE   PRECISION, b VARYING CHARACTER ( 12 ), c NATIVE CHARACTER(7), d UNSIGNED BIG INT)`, all(
		wantColumn("t", "b", schema.StringType{Size: 12}, true, nil),
		wantColumn("t", "d", int64T, true, nil),
	)},
	{"strict table", `CREATE TABLE t (a INTEGER, b TEXT, c ANY, d REAL, e BLOB) STRICT`, nil},
	// Defaults.
	{"expression default", `CREATE TABLE t (a DATETIME DEFAULT CURRENT_TIMESTAMP, b TEXT DEFAULT (lower('X')), c INTEGER DEFAULT -5)`, all(
		wantColumn("t", "a", schema.TimeType{}, true, expr("CURRENT_TIMESTAMP")),
		wantColumn("t", "c", int64T, true, lit("-5")),
	)},
	{"more defaults", `CREATE TABLE t (a TEXT DEFAULT 'it''s', b REAL DEFAULT 1.5, c BLOB DEFAULT x'00ff', d DATE DEFAULT CURRENT_DATE, e TIME DEFAULT current_time, f INTEGER DEFAULT (1 + 2), g TEXT DEFAULT NULL, h BOOLEAN DEFAULT TRUE)`, all(
		wantColumn("t", "a", textT, true, lit("'it''s'")),
		wantColumn("t", "e", schema.TimeType{Kind: schema.TimeOfDay}, true, expr("CURRENT_TIME")),
		// DEFAULT NULL is kept as written: it is part of the declaration.
		wantColumn("t", "g", textT, true, lit("NULL")),
		wantColumn("t", "h", schema.BoolType{}, true, lit("true")),
	)},
	{"default with parentheses in string", `CREATE TABLE t (a TEXT DEFAULT '(x, y)', b TEXT NOT NULL DEFAULT '')`, wantColumn("t", "a", textT, true, lit("'(x, y)'"))},
	// Keys.
	{"composite pk", `CREATE TABLE t (a INTEGER NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "pk", strings.Join(table1(t, s, "t").PrimaryKey.Columns, ","), "a,b")
	}},
	{"pk order differs from columns", `CREATE TABLE t (a TEXT, b TEXT, c TEXT, PRIMARY KEY (c, a))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "pk", strings.Join(table1(t, s, "t").PrimaryKey.Columns, ","), "c,a")
	}},
	{"text primary key", `CREATE TABLE t (code TEXT PRIMARY KEY, v INTEGER)`, nil},
	{"named primary key", `CREATE TABLE t (a INTEGER, CONSTRAINT t_pk PRIMARY KEY (a))`, nil},
	// Unique constraints and indexes.
	{"unique column", `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE)`, func(t *testing.T, s *schema.Schema) {
		ix := index1(t, s, "t", "sqlite_autoindex_t_1")
		eq(t, "unique", ix.Unique, true)
		eq(t, "constraint", ix.Constraint, true)
	}},
	{"unique table constraints", `CREATE TABLE t (a TEXT, b TEXT, c TEXT, UNIQUE (a, b), CONSTRAINT uq_c UNIQUE (c))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "parts", len(index1(t, s, "t", "sqlite_autoindex_t_1").Parts), 2)
		eq(t, "constraint", index1(t, s, "t", "sqlite_autoindex_t_2").Constraint, true)
	}},
	{"unique before text primary key", `CREATE TABLE t (a TEXT UNIQUE, b TEXT PRIMARY KEY, c TEXT UNIQUE)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "first unique", index1(t, s, "t", "sqlite_autoindex_t_1").Parts[0].Column, "a")
		eq(t, "second unique", index1(t, s, "t", "sqlite_autoindex_t_3").Parts[0].Column, "c")
	}},
	{"unique constraint with desc and collate", `CREATE TABLE t (a TEXT, b TEXT, UNIQUE (a DESC, b COLLATE NOCASE))`, func(t *testing.T, s *schema.Schema) {
		ix := index1(t, s, "t", "sqlite_autoindex_t_1")
		eq(t, "desc", ix.Parts[0].Desc, true)
		eq(t, "collate", ix.Parts[1].Expr, `b COLLATE NOCASE`)
	}},
	{"indexes", `CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_a ON t (a); CREATE UNIQUE INDEX t_ab ON t (a, b)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "unique", index1(t, s, "t", "t_ab").Unique, true)
		eq(t, "constraint", index1(t, s, "t", "t_ab").Constraint, false)
	}},
	{"unique index beside unique constraint", `CREATE TABLE t (a TEXT UNIQUE, b TEXT); CREATE UNIQUE INDEX t_b ON t (b)`, nil},
	{"descending index", `CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_ab ON t (a DESC, b ASC)`, func(t *testing.T, s *schema.Schema) {
		ix := index1(t, s, "t", "t_ab")
		eq(t, "a desc", ix.Parts[0].Desc, true)
		eq(t, "b desc", ix.Parts[1].Desc, false)
	}},
	{"expression index", `CREATE TABLE t (a TEXT, b INTEGER); CREATE INDEX t_lower ON t (lower(a), b)`, func(t *testing.T, s *schema.Schema) {
		ix := index1(t, s, "t", "t_lower")
		eq(t, "expr", ix.Parts[0].Expr, "lower(a)")
		eq(t, "column", ix.Parts[1].Column, "b")
	}},
	{"expression index desc", `CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_sum ON t ((a + b) DESC, abs( b ))`, func(t *testing.T, s *schema.Schema) {
		ix := index1(t, s, "t", "t_sum")
		eq(t, "expr", ix.Parts[0].Expr, "a + b")
		eq(t, "desc", ix.Parts[0].Desc, true)
		eq(t, "expr 2", ix.Parts[1].Expr, "abs(b)")
	}},
	{"expression with strings and commas", `CREATE TABLE t (a TEXT); CREATE INDEX t_x ON t (substr(a, 1, 2), coalesce(a, 'x,)y'))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "expr", index1(t, s, "t", "t_x").Parts[1].Expr, "coalesce(a, 'x,)y')")
	}},
	{"json expression index", `CREATE TABLE t (doc TEXT); CREATE INDEX t_doc ON t (json_extract(doc, '$.a'), doc ->> '$.b')`, nil},
	{"partial index", `CREATE TABLE t (a INTEGER, deleted BOOLEAN); CREATE INDEX t_live ON t (a) WHERE deleted = 0`, func(t *testing.T, s *schema.Schema) {
		eq(t, "where", index1(t, s, "t", "t_live").Where, "deleted = 0")
	}},
	{"partial unique index", `CREATE TABLE t (a TEXT, b INTEGER);
CREATE UNIQUE INDEX t_a ON t (a)   WHERE  b IS NOT NULL AND (b > 10 OR a LIKE 'x%')`, func(t *testing.T, s *schema.Schema) {
		eq(t, "where", index1(t, s, "t", "t_a").Where, "b IS NOT NULL AND (b > 10 OR a LIKE 'x%')")
	}},
	{"index with collate", `CREATE TABLE t (a TEXT, b TEXT COLLATE NOCASE); CREATE INDEX t_a ON t (a COLLATE NOCASE); CREATE INDEX t_b ON t (b)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "a", index1(t, s, "t", "t_a").Parts[0].Expr, `a COLLATE NOCASE`)
		eq(t, "b", index1(t, s, "t", "t_b").Parts[0].Column, "b")
	}},
	{"index with comment", `CREATE TABLE t (a INTEGER); CREATE INDEX t_a ON t (
  a -- the key
  /* block */ DESC) WHERE a /* c */ > 1`, func(t *testing.T, s *schema.Schema) {
		eq(t, "where", index1(t, s, "t", "t_a").Where, "a > 1")
	}},
	// Columns.
	{"generated virtual", `CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER GENERATED ALWAYS AS (a + b) VIRTUAL)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "generated", column(t, s, "t", "c").Generated, schema.Generated{Expr: "a + b"})
	}},
	{"generated stored", `CREATE TABLE t (a TEXT, b TEXT AS (upper(a)) STORED NOT NULL)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "generated", column(t, s, "t", "b").Generated, schema.Generated{Expr: "upper(a)", Stored: true})
	}},
	{"generated default kind", `CREATE TABLE t (a REAL, b REAL AS (a * 2), c TEXT GENERATED ALWAYS AS ('x' || a))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "generated", column(t, s, "t", "b").Generated, schema.Generated{Expr: "a * 2"})
		eq(t, "generated", column(t, s, "t", "c").Generated, schema.Generated{Expr: "'x' || a"})
	}},
	{"collations", `CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT COLLATE rtrim NOT NULL, c TEXT COLLATE BINARY, d TEXT)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "a", column(t, s, "t", "a").Collation, "NOCASE")
		eq(t, "b", column(t, s, "t", "b").Collation, "RTRIM")
		eq(t, "c", column(t, s, "t", "c").Collation, "")
	}},
	{"collate before type-like words", `CREATE TABLE t (a VARCHAR(10) NOT NULL COLLATE "NOCASE" DEFAULT 'x')`, func(t *testing.T, s *schema.Schema) {
		eq(t, "a", column(t, s, "t", "a").Collation, "NOCASE")
	}},
	// Checks.
	{"checks", `CREATE TABLE t (a INTEGER CHECK (a > 0), b TEXT, CONSTRAINT b_len CHECK (length(b) < 10), CHECK (a<100))`, func(t *testing.T, s *schema.Schema) {
		tb := table1(t, s, "t")
		eq(t, "checks", len(tb.Checks), 3)
		c, ok := tb.Check("b_len")
		eq(t, "named", ok, true)
		if ok {
			eq(t, "expr", c.Expr, "length(b) < 10")
		}
		eq(t, "spacing", slices.ContainsFunc(tb.Checks, func(c *schema.Check) bool { return c.Expr == "a < 100" }), true)
	}},
	{"named column check", `CREATE TABLE t (a INTEGER CONSTRAINT positive CHECK (a >= 0) NOT NULL)`, func(t *testing.T, s *schema.Schema) {
		_, ok := table1(t, s, "t").Check("positive")
		eq(t, "named", ok, true)
	}},
	{"check with strings and parens", `CREATE TABLE t (s TEXT CHECK (s IN ('a', 'b)', 'c''d')), n INTEGER CHECK ((n % 2) = 0))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "checks", len(table1(t, s, "t").Checks), 2)
	}},
	{"check with case and between", `CREATE TABLE t (a INTEGER, b INTEGER, CHECK (CASE WHEN a IS NULL THEN b BETWEEN -1 AND 1 ELSE 1 END))`, nil},
	{"check with negative numbers", `CREATE TABLE t (a REAL CHECK (a >= -1.5 AND a <= +2e3))`, nil},
	// Foreign keys.
	{"foreign keys", `CREATE TABLE p (id INTEGER PRIMARY KEY, k TEXT UNIQUE);
CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ON DELETE CASCADE, k TEXT REFERENCES p (k) ON UPDATE SET NULL)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "fks", len(table1(t, s, "c").ForeignKeys), 2)
	}},
	{"composite foreign key", `CREATE TABLE p (a INTEGER, b TEXT, PRIMARY KEY (a, b));
CREATE TABLE c (x INTEGER, y TEXT, FOREIGN KEY (x, y) REFERENCES p (a, b) ON DELETE SET DEFAULT ON UPDATE RESTRICT)`, func(t *testing.T, s *schema.Schema) {
		fk := table1(t, s, "c").ForeignKeys[0]
		eq(t, "columns", strings.Join(fk.Columns, ","), "x,y")
		eq(t, "ref", strings.Join(fk.RefColumns, ","), "a,b")
		eq(t, "on delete", fk.OnDelete, "SET DEFAULT")
		eq(t, "on update", fk.OnUpdate, "RESTRICT")
	}},
	{"reference to primary key without columns", `CREATE TABLE p (a INTEGER, b TEXT, PRIMARY KEY (a, b)); CREATE TABLE c (x INTEGER, y TEXT, FOREIGN KEY (x, y) REFERENCES p)`, func(t *testing.T, s *schema.Schema) {
		// The parent's key is meant, and left unwritten as the user did.
		eq(t, "ref", strings.Join(table1(t, s, "c").ForeignKeys[0].RefColumns, ","), "")
	}},
	{"named and deferrable foreign keys", `CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (a INTEGER CONSTRAINT c_a_fk REFERENCES p DEFERRABLE INITIALLY DEFERRED, b INTEGER,
  c INTEGER REFERENCES p (id) NOT DEFERRABLE,
  CONSTRAINT "c b fk" FOREIGN KEY (b) REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE)`, func(t *testing.T, s *schema.Schema) {
		tb := table1(t, s, "c")
		a, ok := tb.ForeignKey("c_a_fk")
		if !ok {
			t.Fatalf("no c_a_fk in %+v", tb.ForeignKeys)
		}
		eq(t, "a deferrable", a.Deferrable, true)
		eq(t, "a initially deferred", a.InitiallyDeferred, true)
		b, ok := tb.ForeignKey("c b fk")
		if !ok {
			t.Fatalf("no c b fk")
		}
		eq(t, "b deferrable", b.Deferrable, true)
		eq(t, "b initially deferred", b.InitiallyDeferred, false)
		eq(t, "fks", len(tb.ForeignKeys), 3)
	}},
	{"column references with actions then constraints", `CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (a INTEGER CONSTRAINT fa REFERENCES p ON DELETE SET NULL ON UPDATE SET DEFAULT DEFERRABLE INITIALLY DEFERRED NOT NULL DEFAULT 0,
  b INTEGER REFERENCES p (id) ON UPDATE NO ACTION MATCH FULL CONSTRAINT b_pos CHECK (b > 0) COLLATE NOCASE)`, func(t *testing.T, s *schema.Schema) {
		tb := table1(t, s, "c")
		fa, ok := tb.ForeignKey("fa")
		eq(t, "fa", ok, true)
		if ok {
			eq(t, "fa deferred", fa.InitiallyDeferred, true)
			eq(t, "fa on update", fa.OnUpdate, "SET DEFAULT")
		}
		eq(t, "a default", column(t, s, "c", "a").Default, lit("0"))
		_, ok = tb.Check("b_pos")
		eq(t, "b_pos", ok, true)
		eq(t, "b collation", column(t, s, "c", "b").Collation, "NOCASE")
	}},
	{"self reference", `CREATE TABLE n (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES n (id) ON DELETE SET NULL)`, nil},
	{"reference cycle", `CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));
CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id))`, nil},
	{"reference spelled in other case", `CREATE TABLE Parent (ID INTEGER PRIMARY KEY); CREATE TABLE child (pid INTEGER REFERENCES PARENT (id))`, func(t *testing.T, s *schema.Schema) {
		fk := table1(t, s, "child").ForeignKeys[0]
		eq(t, "ref table", fk.RefTable, "Parent")
		eq(t, "ref column", fk.RefColumns[0], "ID")
	}},
	{"two foreign keys on one column", `CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE q (id INTEGER PRIMARY KEY);
CREATE TABLE c (x INTEGER CONSTRAINT to_p REFERENCES p (id), CONSTRAINT to_q FOREIGN KEY (x) REFERENCES q (id))`, func(t *testing.T, s *schema.Schema) {
		fk, ok := table1(t, s, "c").ForeignKey("to_q")
		eq(t, "to_q", ok && fk.RefTable == "q", true)
	}},
	{"foreign key match clause", `CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (x INTEGER REFERENCES p (id) MATCH SIMPLE ON DELETE NO ACTION)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "on delete", table1(t, s, "c").ForeignKeys[0].OnDelete, "")
	}},
	// Identifiers.
	{"quoted names", `CREATE TABLE "Mixed Case" ("select" INTEGER, "we""ird" TEXT, "größe" REAL); CREATE INDEX "the index" ON "Mixed Case" ("select")`, func(t *testing.T, s *schema.Schema) {
		column(t, s, "Mixed Case", `we"ird`)
		column(t, s, "Mixed Case", "größe")
	}},
	{"backquoted and bracketed names", "CREATE TABLE `order` (`group` INTEGER PRIMARY KEY, [from] TEXT COLLATE NOCASE, [to] TEXT CHECK ([to] <> ''), `a``b` TEXT); CREATE INDEX [order by] ON `order` ([from] DESC)", func(t *testing.T, s *schema.Schema) {
		eq(t, "collation", column(t, s, "order", "from").Collation, "NOCASE")
		column(t, s, "order", "a`b")
		eq(t, "desc", index1(t, s, "order", "order by").Parts[0].Desc, true)
	}},
	{"reserved words", `CREATE TABLE "table" ("index" INTEGER PRIMARY KEY, "where" TEXT UNIQUE, "check" INTEGER CHECK ("check" > 0), "references" INTEGER REFERENCES "table" ("index"))`, func(t *testing.T, s *schema.Schema) {
		eq(t, "fks", len(table1(t, s, "table").ForeignKeys), 1)
		eq(t, "checks", len(table1(t, s, "table").Checks), 1)
	}},
	{"non ascii", `CREATE TABLE café (naïve TEXT, 数量 INTEGER DEFAULT 1, Ωmega REAL GENERATED ALWAYS AS (数量 * 2));
CREATE INDEX "índice" ON café (naïve, 数量 DESC)`, func(t *testing.T, s *schema.Schema) {
		eq(t, "generated", column(t, s, "café", "Ωmega").Generated.Expr, "数量 * 2")
	}},
	{"spaces in names everywhere", `CREATE TABLE "a b" ("c d" INTEGER PRIMARY KEY, "e f" TEXT);
CREATE TABLE "g h" ("i j" INTEGER CONSTRAINT "k l" REFERENCES "a b" ("c d"), CONSTRAINT "m n" CHECK ("i j" > 0));
CREATE INDEX "o p" ON "g h" ("i j") WHERE "i j" IS NOT NULL`, func(t *testing.T, s *schema.Schema) {
		_, ok := table1(t, s, "g h").ForeignKey("k l")
		eq(t, "fk name", ok, true)
		eq(t, "where", index1(t, s, "g h", "o p").Where, `"i j" IS NOT NULL`)
	}},
	{"mixed case columns and keys", `CREATE TABLE Users (UserID INTEGER PRIMARY KEY, EMail TEXT NOT NULL UNIQUE, DisplayName TEXT);
CREATE TABLE Posts (PostID INTEGER PRIMARY KEY, Author INTEGER NOT NULL REFERENCES Users (UserID));
CREATE INDEX Posts_Author ON Posts (Author)`, nil},
	{"names with dots and parens", `CREATE TABLE "a.b" ("c(d)" INTEGER, "e,f" TEXT); CREATE INDEX "x.y" ON "a.b" ("c(d)", "e,f")`, nil},
	// Views.
	{"view", `CREATE TABLE t (a INTEGER, b TEXT); CREATE VIEW v AS SELECT a, b FROM t WHERE a > 0`, func(t *testing.T, s *schema.Schema) {
		v, ok := s.View("v")
		eq(t, "view", ok, true)
		if ok {
			eq(t, "def", v.Def, "SELECT a, b FROM t WHERE a > 0")
		}
	}},
	{"view with odd spacing", "CREATE TABLE t (a INTEGER);\nCREATE VIEW \"My View\"\nAS\n  SELECT   count( * ) AS n\n  FROM t -- all rows\n", func(t *testing.T, s *schema.Schema) {
		v, _ := s.View("My View")
		eq(t, "def", v.Def, "SELECT count(*) AS n FROM t")
	}},
	{"view on view", `CREATE TABLE t (a INTEGER); CREATE VIEW v1 AS SELECT a FROM t; CREATE VIEW v2 AS SELECT a FROM v1 WHERE a IN (1, 2)`, nil},
	{"view with join", `CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT); CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p);
CREATE VIEW pc AS SELECT p.n, c.id FROM p JOIN c ON c.p = p.id`, nil},
	// Whole tables.
	{"everything at once", `CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL COLLATE NOCASE UNIQUE, created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL CONSTRAINT orders_account REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  total DECIMAL(12,2) NOT NULL DEFAULT 0 CHECK (total >= 0),
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid')),
  net DECIMAL(12,2) AS (total * 0.8) STORED,
  UNIQUE (account, id));
CREATE INDEX orders_status ON orders (status, total DESC) WHERE status <> 'paid';
CREATE INDEX orders_lower ON orders (lower(status));
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'new'`, nil},
	{"table name with quotes in sql", `CREATE TABLE "a""b" (x INTEGER UNIQUE, y TEXT UNIQUE)`, func(t *testing.T, s *schema.Schema) {
		index1(t, s, `a"b`, `sqlite_autoindex_a"b_2`)
	}},
	{"if not exists", `CREATE TABLE IF NOT EXISTS t (a INTEGER)`, nil},
	{"real affinity", `CREATE TABLE t (a FLOAT8, b DOUBLE, c FLOA)`, wantColumn("t", "c", schema.FloatType{Bits: 64}, true, nil)},
	{"many tables", `CREATE TABLE a1 (id INTEGER PRIMARY KEY); CREATE TABLE a2 (id INTEGER PRIMARY KEY, a1 INTEGER REFERENCES a1);
CREATE TABLE a3 (id INTEGER PRIMARY KEY, a2 INTEGER REFERENCES a2, a1 INTEGER REFERENCES a1); CREATE INDEX a3_a2 ON a3 (a2)`, nil},
	{"altered table text", `CREATE TABLE t (a INTEGER); ALTER TABLE t ADD COLUMN b TEXT COLLATE NOCASE DEFAULT 'x' CHECK (b <> 'y'); ALTER TABLE t RENAME COLUMN a TO "A 2"`, func(t *testing.T, s *schema.Schema) {
		eq(t, "collation", column(t, s, "t", "b").Collation, "NOCASE")
		eq(t, "checks", len(table1(t, s, "t").Checks), 1)
	}},
	{"renamed table", `CREATE TABLE old (a INTEGER UNIQUE); CREATE TABLE c (x REFERENCES old (a)); ALTER TABLE old RENAME TO new`, func(t *testing.T, s *schema.Schema) {
		eq(t, "ref", table1(t, s, "c").ForeignKeys[0].RefTable, "new")
		index1(t, s, "new", "sqlite_autoindex_new_1")
	}},
}

// TestRoundTrip applies DDL, inspects it, renders the inspected schema
// into a fresh database in dependency order (as diff and the root
// package's render do), and inspects again: both pictures must be equal,
// and the inspected schema must already be canonical.
func TestRoundTrip(t *testing.T) {
	if len(roundTripCases) < 60 {
		t.Errorf("%d round-trip cases, want at least 60", len(roundTripCases))
	}
	seen := map[string]bool{}
	for _, tc := range roundTripCases {
		if seen[tc.name] {
			t.Fatalf("duplicate case %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db1, d := open(t)
			exec(t, db1, tc.ddl)
			want := inspect(t, d, db1)
			if len(want.Tables) == 0 {
				t.Fatal("inspected no tables")
			}
			if tc.check != nil {
				tc.check(t, want)
			}
			ops, err := diff.Schemas(&schema.Schema{}, want)
			if err != nil {
				t.Fatal(err)
			}
			db2, _ := open(t)
			stmts := renderAll(t, d, &schema.Schema{}, ops...)
			inTx(t, db2, stmts)
			got := inspect(t, d, db2)
			if diffs := schema.Differences(want, got); len(diffs) > 0 {
				t.Fatalf("round trip differs:\n%s\nrendered:\n%s", strings.Join(diffs, "\n"), strings.Join(stmts, ";\n"))
			}
			canon := want.Clone()
			d.Canonical(canon)
			if diffs := schema.Differences(want, canon); len(diffs) > 0 {
				t.Fatalf("Canonical changed an inspected schema:\n%s", strings.Join(diffs, "\n"))
			}
			checkNames(t, want, got)
		})
	}
}

// checkNames compares what Differences leaves out: names of checks and
// foreign keys.
func checkNames(t *testing.T, want, got *schema.Schema) {
	t.Helper()
	for _, wt := range want.Tables {
		gt, _ := got.Table(wt.Name)
		for _, ck := range wt.Checks {
			if _, ok := gt.Check(ck.Name); !ok {
				t.Errorf("table %q: check %q lost its name", wt.Name, ck.Name)
			}
		}
		for _, fk := range wt.ForeignKeys {
			if _, ok := gt.ForeignKey(fk.Name); !ok {
				t.Errorf("table %q: foreign key %q lost its name", wt.Name, fk.Name)
			}
		}
	}
}
