package mysql_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/schema"
)

type lit = schema.Literal
type expr = schema.Expr

// col builds an expected column; names are not compared.
func col(typ schema.Type, nullable bool, def schema.Default) *schema.Column {
	return &schema.Column{Type: typ, Nullable: nullable, Default: def}
}

// roundTripCases are DDL that a database may hold. Each is applied to a
// fresh database and inspected; the CreateTable ops of what was inspected
// are rendered into a second fresh database, which must inspect equal.
// cols pins what chosen columns ("table.column") inspect as, so that the
// round trip cannot pass by reading nothing.
type roundTripCase struct {
	name  string
	ddl   []string
	cols  map[string]*schema.Column
	check func(t *testing.T, s *schema.Schema)
	// mariaDB marks cases whose DDL or expectations hold on MariaDB only.
	mariaDB bool
}

var roundTripCases = []roundTripCase{
	{
		name: "integers",
		ddl: []string{`CREATE TABLE ints (
			a TINYINT, b SMALLINT NOT NULL, c INT(11), d BIGINT,
			e TINYINT UNSIGNED, f SMALLINT UNSIGNED, g INT UNSIGNED NOT NULL, h BIGINT(20) UNSIGNED,
			i MEDIUMINT, j MEDIUMINT UNSIGNED, k INT(8) UNSIGNED ZEROFILL)`},
		cols: map[string]*schema.Column{
			"ints.a": col(schema.IntegerType{Bits: 8}, true, nil),
			"ints.b": col(schema.IntegerType{Bits: 16}, false, nil),
			"ints.c": col(schema.IntegerType{Bits: 32}, true, nil),
			"ints.d": col(schema.IntegerType{Bits: 64}, true, nil),
			"ints.e": col(schema.IntegerType{Bits: 8, Unsigned: true}, true, nil),
			"ints.g": col(schema.IntegerType{Bits: 32, Unsigned: true}, false, nil),
			"ints.h": col(schema.IntegerType{Bits: 64, Unsigned: true}, true, nil),
			"ints.i": col(schema.RawType{SQL: "mediumint"}, true, nil),
			"ints.j": col(schema.RawType{SQL: "mediumint unsigned"}, true, nil),
			"ints.k": col(schema.RawType{SQL: "int(8) unsigned zerofill"}, true, nil),
		},
	},
	{
		name: "booleans",
		ddl:  []string{"CREATE TABLE flags (a BOOLEAN, b TINYINT(1) NOT NULL DEFAULT 1, c BOOL DEFAULT FALSE, d TINYINT(1) UNSIGNED)"},
		cols: map[string]*schema.Column{
			"flags.a": col(schema.BoolType{}, true, nil),
			"flags.b": col(schema.BoolType{}, false, lit{SQL: "1"}),
			"flags.c": col(schema.BoolType{}, true, lit{SQL: "0"}),
			"flags.d": col(schema.RawType{SQL: "tinyint(1) unsigned"}, true, nil),
		},
	},
	{
		name: "strings",
		ddl: []string{`CREATE TABLE strs (a VARCHAR(255) NOT NULL, b CHAR(10), c CHAR, d TEXT,
			e TINYTEXT, f MEDIUMTEXT, g LONGTEXT, h NATIONAL VARCHAR(20))`},
		cols: map[string]*schema.Column{
			"strs.a": col(schema.StringType{Size: 255}, false, nil),
			"strs.b": col(schema.StringType{Size: 10, Fixed: true}, true, nil),
			"strs.c": col(schema.StringType{Size: 1, Fixed: true}, true, nil),
			"strs.d": col(schema.StringType{}, true, nil),
			"strs.e": col(schema.RawType{SQL: "tinytext"}, true, nil),
			"strs.g": col(schema.RawType{SQL: "longtext"}, true, nil),
			// NATIONAL is utf8mb3, unlike the database's utf8mb4.
			"strs.h": {Type: schema.StringType{Size: 20}, Nullable: true, Collation: "utf8mb3_general_ci"},
		},
	},
	{
		name: "numbers",
		ddl: []string{`CREATE TABLE nums (a FLOAT, b DOUBLE, c REAL, d DOUBLE PRECISION, e DECIMAL(10,2),
			f DECIMAL, g NUMERIC(5), h FLOAT(10,2), i DECIMAL(8,3) UNSIGNED)`},
		cols: map[string]*schema.Column{
			"nums.a": col(schema.FloatType{Bits: 32}, true, nil),
			"nums.b": col(schema.FloatType{Bits: 64}, true, nil),
			"nums.c": col(schema.FloatType{Bits: 64}, true, nil),
			"nums.e": col(schema.DecimalType{Precision: 10, Scale: 2}, true, nil),
			"nums.f": col(schema.DecimalType{Precision: 10}, true, nil),
			"nums.g": col(schema.DecimalType{Precision: 5}, true, nil),
			"nums.h": col(schema.RawType{SQL: "float(10,2)"}, true, nil),
			"nums.i": col(schema.RawType{SQL: "decimal(8,3) unsigned"}, true, nil),
		},
	},
	{
		name: "times",
		ddl: []string{`CREATE TABLE times (a DATETIME, b DATETIME(6) NOT NULL, c DATE, d TIME, e TIME(3),
			f TIMESTAMP NULL, g TIMESTAMP(6) NULL, h YEAR)`},
		cols: map[string]*schema.Column{
			"times.a": col(schema.TimeType{Kind: schema.Timestamp}, true, nil),
			"times.b": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, false, nil),
			"times.c": col(schema.TimeType{Kind: schema.Date}, true, nil),
			"times.d": col(schema.TimeType{Kind: schema.TimeOfDay}, true, nil),
			"times.e": col(schema.TimeType{Kind: schema.TimeOfDay, Precision: 3}, true, nil),
			"times.f": col(schema.RawType{SQL: "timestamp"}, true, nil),
			"times.g": col(schema.RawType{SQL: "timestamp(6)"}, true, nil),
			"times.h": col(schema.RawType{SQL: "year"}, true, nil),
		},
	},
	{
		name: "binary",
		ddl:  []string{"CREATE TABLE bins (a BLOB, b VARBINARY(16), c BINARY(16), d TINYBLOB, e LONGBLOB, f MEDIUMBLOB NOT NULL)"},
		cols: map[string]*schema.Column{
			"bins.a": col(schema.BinaryType{}, true, nil),
			"bins.b": col(schema.RawType{SQL: "varbinary(16)"}, true, nil),
			"bins.c": col(schema.RawType{SQL: "binary(16)"}, true, nil),
			"bins.e": col(schema.RawType{SQL: "longblob"}, true, nil),
			"bins.f": col(schema.RawType{SQL: "mediumblob"}, false, nil),
		},
	},
	{
		name: "other types",
		ddl: []string{`CREATE TABLE other (a ENUM('Small','LARGE') NOT NULL DEFAULT 'LARGE', b SET('x','Y'),
			c BIT(3) DEFAULT b'101', d JSON)`},
		cols: map[string]*schema.Column{
			"other.a": col(schema.RawType{SQL: "enum('Small','LARGE')"}, false, lit{SQL: "'LARGE'"}),
			"other.b": col(schema.RawType{SQL: "set('x','Y')"}, true, nil),
			"other.c": col(schema.RawType{SQL: "bit(3)"}, true, lit{SQL: "b'101'"}),
		},
	},
	{
		name: "string defaults",
		ddl: []string{`CREATE TABLE sdefs (a VARCHAR(20) DEFAULT 'plain', b VARCHAR(20) DEFAULT 'it''s',
			c VARCHAR(20) DEFAULT 'back\\slash', d VARCHAR(20) DEFAULT 'NULL', e VARCHAR(20) DEFAULT NULL,
			f VARCHAR(20) NOT NULL DEFAULT '', g VARCHAR(20) DEFAULT 'line\nbreak', h CHAR(3) DEFAULT '5')`},
		cols: map[string]*schema.Column{
			"sdefs.a": col(schema.StringType{Size: 20}, true, lit{SQL: "'plain'"}),
			"sdefs.b": col(schema.StringType{Size: 20}, true, lit{SQL: "'it''s'"}),
			"sdefs.c": col(schema.StringType{Size: 20}, true, lit{SQL: `'back\\slash'`}),
			"sdefs.d": col(schema.StringType{Size: 20}, true, lit{SQL: "'NULL'"}),
			"sdefs.e": col(schema.StringType{Size: 20}, true, nil),
			"sdefs.f": col(schema.StringType{Size: 20}, false, lit{SQL: "''"}),
			"sdefs.g": col(schema.StringType{Size: 20}, true, lit{SQL: "'line\nbreak'"}),
			"sdefs.h": col(schema.StringType{Size: 3, Fixed: true}, true, lit{SQL: "'5'"}),
		},
	},
	{
		name: "number defaults",
		ddl: []string{`CREATE TABLE ndefs (a INT DEFAULT 0, b INT DEFAULT -7, c BIGINT UNSIGNED DEFAULT 18446744073709551615,
			d DECIMAL(10,2) DEFAULT 1.5, e DOUBLE DEFAULT 0.25, f FLOAT DEFAULT -2, g INT DEFAULT '42')`},
		cols: map[string]*schema.Column{
			"ndefs.a": col(schema.IntegerType{Bits: 32}, true, lit{SQL: "0"}),
			"ndefs.b": col(schema.IntegerType{Bits: 32}, true, lit{SQL: "-7"}),
			"ndefs.c": col(schema.IntegerType{Bits: 64, Unsigned: true}, true, lit{SQL: "18446744073709551615"}),
			"ndefs.d": col(schema.DecimalType{Precision: 10, Scale: 2}, true, lit{SQL: "1.50"}),
			"ndefs.e": col(schema.FloatType{Bits: 64}, true, lit{SQL: "0.25"}),
			"ndefs.g": col(schema.IntegerType{Bits: 32}, true, lit{SQL: "42"}),
		},
	},
	{
		name: "time defaults",
		ddl: []string{`CREATE TABLE tdefs (a DATETIME DEFAULT CURRENT_TIMESTAMP, b DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
			c TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, d DATE DEFAULT '2020-01-31', e DATETIME(3) DEFAULT '2021-02-03 04:05:06.789',
			f DATETIME DEFAULT NOW(), g TIME DEFAULT '12:30:00')`},
		cols: map[string]*schema.Column{
			"tdefs.a": col(schema.TimeType{Kind: schema.Timestamp}, true, expr{SQL: "CURRENT_TIMESTAMP"}),
			"tdefs.b": col(schema.TimeType{Kind: schema.Timestamp, Precision: 6}, false, expr{SQL: "CURRENT_TIMESTAMP(6)"}),
			"tdefs.c": col(schema.RawType{SQL: "timestamp"}, false, expr{SQL: "CURRENT_TIMESTAMP"}),
			"tdefs.d": col(schema.TimeType{Kind: schema.Date}, true, lit{SQL: "'2020-01-31'"}),
			"tdefs.e": col(schema.TimeType{Kind: schema.Timestamp, Precision: 3}, true, lit{SQL: "'2021-02-03 04:05:06.789'"}),
			"tdefs.f": col(schema.TimeType{Kind: schema.Timestamp}, true, expr{SQL: "CURRENT_TIMESTAMP"}),
			"tdefs.g": col(schema.TimeType{Kind: schema.TimeOfDay}, true, lit{SQL: "'12:30:00'"}),
		},
	},
	{
		name: "expression defaults",
		ddl:  []string{"CREATE TABLE edefs (a CHAR(36) DEFAULT (uuid()), b INT DEFAULT (1 + 1), c DATE DEFAULT (CURRENT_DATE))"},
		cols: map[string]*schema.Column{
			"edefs.a": col(schema.StringType{Size: 36, Fixed: true}, true, expr{SQL: "uuid()"}),
			"edefs.c": col(schema.TimeType{Kind: schema.Date}, true, expr{SQL: "curdate()"}),
		},
	},
	{
		name: "auto increment",
		ddl:  []string{"CREATE TABLE seq (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT)"},
		cols: map[string]*schema.Column{
			"seq.id": {Type: schema.IntegerType{Bits: 64, Unsigned: true}, AutoIncrement: true},
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("seq")
			if tb.PrimaryKey == nil || !slices.Equal(tb.PrimaryKey.Columns, []string{"id"}) || tb.PrimaryKey.Name != "PRIMARY" {
				t.Errorf("primary key %+v, want PRIMARY (id)", tb.PrimaryKey)
			}
		},
	},
	{
		name: "composite primary key",
		ddl:  []string{"CREATE TABLE pairs (b INT NOT NULL, a VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b))"},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("pairs")
			if tb.PrimaryKey == nil || !slices.Equal(tb.PrimaryKey.Columns, []string{"a", "b"}) {
				t.Errorf("primary key %+v, want (a, b)", tb.PrimaryKey)
			}
		},
	},
	{
		name: "indexes",
		ddl: []string{
			"CREATE TABLE ix (id INT PRIMARY KEY, email VARCHAR(100), a INT, b INT, c INT, UNIQUE KEY uq_email (email))",
			"CREATE INDEX ix_cba ON ix (c, b, a)",
			"CREATE UNIQUE INDEX uq_ab ON ix (a, b)",
			"CREATE INDEX ix_b ON ix (b)",
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("ix")
			// As the server lists them: unique ones first, each kind in the
			// order they were made (schema.Schema.Ordered).
			want := []schema.Index{
				{Name: "uq_email", Parts: schema.Columns("email"), Unique: true},
				{Name: "uq_ab", Parts: schema.Columns("a", "b"), Unique: true},
				{Name: "ix_cba", Parts: schema.Columns("c", "b", "a")},
				{Name: "ix_b", Parts: schema.Columns("b")},
			}
			var got []schema.Index
			for _, ix := range tb.Indexes {
				got = append(got, *ix)
			}
			if !slices.EqualFunc(got, want, func(a, b schema.Index) bool {
				return a.Name == b.Name && a.Unique == b.Unique && slices.Equal(a.Parts, b.Parts)
			}) {
				t.Errorf("indexes %+v, want %+v", got, want)
			}
		},
	},
	{
		name: "awkward identifiers",
		ddl: []string{
			"CREATE TABLE `MixedCase` (`Id` INT PRIMARY KEY, `CamelCol` VARCHAR(10), `we``ird` INT, `with space` INT, `select` INT, `order` INT)",
			"CREATE TABLE `order` (`key` INT PRIMARY KEY, `from` INT, `My Ref` INT, CONSTRAINT `fk to ``Mixed``` FOREIGN KEY (`My Ref`) REFERENCES `MixedCase` (`Id`))",
			"CREATE INDEX `index` ON `MixedCase` (`select`, `we``ird`)",
		},
		cols: map[string]*schema.Column{
			"MixedCase.we`ird":     col(schema.IntegerType{Bits: 32}, true, nil),
			"MixedCase.with space": col(schema.IntegerType{Bits: 32}, true, nil),
			"order.My Ref":         col(schema.IntegerType{Bits: 32}, true, nil),
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("order")
			if len(tb.ForeignKeys) != 1 || tb.ForeignKeys[0].Name != "fk to `Mixed`" || tb.ForeignKeys[0].RefTable != "MixedCase" {
				t.Errorf("foreign keys of order: %+v", tb.ForeignKeys)
			}
		},
	},
	{
		name: "foreign key cascade",
		ddl: []string{
			"CREATE TABLE parent (id INT PRIMARY KEY)",
			"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("child")
			if len(tb.ForeignKeys) != 1 || tb.ForeignKeys[0].OnDelete != "CASCADE" || tb.ForeignKeys[0].OnUpdate != "" {
				t.Errorf("foreign keys: %+v", tb.ForeignKeys)
			}
			// The index InnoDB made for the key, named after the column.
			if _, ok := tb.Index("parent_id"); !ok {
				t.Errorf("implicit index parent_id missing: %+v", tb.Indexes)
			}
		},
	},
	{
		name: "foreign key set null",
		ddl: []string{
			"CREATE TABLE parent (id INT PRIMARY KEY)",
			"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE)",
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("child")
			if len(tb.ForeignKeys) != 1 || tb.ForeignKeys[0].OnDelete != "SET NULL" || tb.ForeignKeys[0].OnUpdate != "CASCADE" || tb.ForeignKeys[0].Name != "fk_parent" {
				t.Errorf("foreign keys: %+v", tb.ForeignKeys)
			}
			if _, ok := tb.Index("fk_parent"); !ok {
				t.Errorf("implicit index fk_parent missing: %+v", tb.Indexes)
			}
		},
	},
	{
		name: "foreign key default actions",
		ddl: []string{
			"CREATE TABLE parent (id INT PRIMARY KEY)",
			`CREATE TABLE child (id INT PRIMARY KEY, a INT, b INT, c INT,
				FOREIGN KEY (a) REFERENCES parent (id),
				FOREIGN KEY (b) REFERENCES parent (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
				FOREIGN KEY (c) REFERENCES parent (id) ON DELETE NO ACTION)`,
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("child")
			for _, fk := range tb.ForeignKeys {
				if fk.OnDelete != "" || fk.OnUpdate != "" {
					t.Errorf("foreign key %s: actions %q/%q, want the default", fk.Name, fk.OnDelete, fk.OnUpdate)
				}
			}
			if len(tb.ForeignKeys) != 3 {
				t.Errorf("%d foreign keys, want 3", len(tb.ForeignKeys))
			}
		},
	},
	{
		name: "composite foreign key using an index",
		ddl: []string{
			"CREATE TABLE parent (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))",
			`CREATE TABLE child (id INT PRIMARY KEY, x INT, y INT, z INT, INDEX ix_xyz (x, y, z),
				CONSTRAINT fk_xy FOREIGN KEY (x, y) REFERENCES parent (a, b) ON DELETE CASCADE)`,
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("child")
			if len(tb.Indexes) != 1 || tb.Indexes[0].Name != "ix_xyz" {
				t.Errorf("indexes %+v, want only ix_xyz (it serves the key)", tb.Indexes)
			}
			if len(tb.ForeignKeys) != 1 || !slices.Equal(tb.ForeignKeys[0].RefColumns, []string{"a", "b"}) {
				t.Errorf("foreign keys: %+v", tb.ForeignKeys)
			}
		},
	},
	{
		name: "self reference",
		ddl:  []string{"CREATE TABLE node (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES node (id) ON DELETE SET NULL)"},
	},
	{
		name: "chain of tables",
		ddl: []string{
			"CREATE TABLE c_top (id INT PRIMARY KEY)",
			"CREATE TABLE b_mid (id INT PRIMARY KEY, top INT, FOREIGN KEY (top) REFERENCES c_top (id))",
			"CREATE TABLE a_low (id INT PRIMARY KEY, mid INT, top INT, FOREIGN KEY (mid) REFERENCES b_mid (id), FOREIGN KEY (top) REFERENCES c_top (id))",
		},
	},
	{
		name: "comments",
		ddl: []string{`CREATE TABLE noted (id INT PRIMARY KEY COMMENT 'the key',
			v VARCHAR(10) COMMENT 'it''s a \\ back') COMMENT 'table ''noted'' \\ here'`},
		cols: map[string]*schema.Column{
			"noted.v": {Type: schema.StringType{Size: 10}, Nullable: true, Comment: `it's a \ back`},
		},
		check: func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("noted")
			if tb.Comment != `table 'noted' \ here` {
				t.Errorf("table comment %q", tb.Comment)
			}
		},
	},
	{
		name: "nullability",
		ddl:  []string{"CREATE TABLE nn (a INT NOT NULL, b INT NULL, c VARCHAR(5) NOT NULL DEFAULT 'x', d TEXT)"},
		cols: map[string]*schema.Column{
			"nn.a": col(schema.IntegerType{Bits: 32}, false, nil),
			"nn.b": col(schema.IntegerType{Bits: 32}, true, nil),
			"nn.c": col(schema.StringType{Size: 5}, false, lit{SQL: "'x'"}),
			"nn.d": col(schema.StringType{}, true, nil),
		},
	},
	{
		name: "many tables",
		ddl: func() []string {
			var ddl []string
			for _, n := range []string{"t1", "t2", "t3", "t4", "t5", "t6"} {
				ddl = append(ddl, "CREATE TABLE "+n+" (id INT PRIMARY KEY, v VARCHAR(3) DEFAULT '"+n+"')")
			}
			return ddl
		}(),
	},
}

// TestRoundTrip applies each case's DDL to a fresh database and inspects
// it; then renders what it inspected into a second fresh database the way
// autogenerate does (diff.Schemas from nothing, each op rendered against
// the schema so far and followed with op.Apply), which must inspect equal.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	cases := append(slices.Clone(roundTripCases), moreRoundTripCases...)
	if len(cases) < 60 {
		t.Errorf("%d round-trip cases, want at least 60", len(cases))
	}
	names := map[string]bool{}
	for _, tc := range cases {
		if names[tc.name] {
			t.Errorf("two cases named %q", tc.name)
		}
		names[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db1, d := fresh(t)
			if tc.mariaDB && !d.MariaDB() {
				t.Skip("MariaDB only")
			}
			mustExec(t, db1, tc.ddl...)
			first := inspect(t, d, db1)
			if len(first.Tables) == 0 {
				t.Fatal("inspected no tables")
			}
			for path, want := range tc.cols {
				table, column, _ := strings.Cut(path, ".")
				tb, ok := first.Table(table)
				if !ok {
					t.Errorf("table %q not inspected", table)
					continue
				}
				got, ok := tb.Column(column)
				if !ok {
					t.Errorf("column %q not inspected", path)
					continue
				}
				if diff := schema.ColumnDifference(got, want); diff != "" {
					t.Errorf("column %q: %s", path, diff)
				}
			}
			if tc.check != nil {
				tc.check(t, first)
			}

			db2, _ := fresh(t)
			renderAll(t, d, db2, first)
			second := inspect(t, d, db2)
			diffSchemas(t, "after render", second, first)

			// What Inspect reports is already canonical.
			canon := first.Clone()
			d.Canonical(canon)
			diffSchemas(t, "canonical of inspected", canon, first)
		})
	}
}

// renderAll creates s in an empty database as autogenerate would: the ops
// of diff.Schemas from an empty schema, each rendered against the schema
// so far and then applied to it.
func renderAll(t *testing.T, d *mysql.Dialect, db dialect.Querier, s *schema.Schema) {
	t.Helper()
	ops, err := diff.Schemas(&schema.Schema{}, s)
	if err != nil {
		t.Fatal(err)
	}
	current := &schema.Schema{}
	for _, o := range ops {
		apply(t, d, db, current, o)
		if err := o.Apply(current); err != nil {
			t.Fatalf("%s: %v", o, err)
		}
	}
}
