package mysql_test

import (
	"slices"
	"testing"

	"github.com/strata-go/strata/schema"
)

func table(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	tb, ok := s.Table(name)
	if !ok {
		t.Fatalf("no table %q", name)
	}
	return tb
}

// wantIndex checks that the table holds the index, as given, names aside.
func wantIndex(t *testing.T, s *schema.Schema, tableName string, want schema.Index) {
	t.Helper()
	ix, ok := table(t, s, tableName).Index(want.Name)
	if !ok {
		t.Errorf("table %q: no index %q", tableName, want.Name)
		return
	}
	if !schema.IndexEqual(ix, &want) {
		t.Errorf("table %q: index %+v, want %+v", tableName, *ix, want)
	}
}

// wantChecks checks the table's check expressions, names aside.
func wantChecks(t *testing.T, s *schema.Schema, tableName string, want ...string) {
	t.Helper()
	var got []string
	for _, c := range table(t, s, tableName).Checks {
		got = append(got, c.Expr)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("table %q: checks %q, want %q", tableName, got, want)
	}
}

func wantAttrs(t *testing.T, s *schema.Schema, tableName string, want schema.TableAttrs) {
	t.Helper()
	if got := table(t, s, tableName).Attrs(); got != want {
		t.Errorf("table %q: attributes %+v, want %+v", tableName, got, want)
	}
}

func wantView(t *testing.T, s *schema.Schema, name, def string) {
	t.Helper()
	v, ok := s.View(name)
	if !ok {
		t.Errorf("no view %q", name)
		return
	}
	if v.Def != def {
		t.Errorf("view %q: definition %q, want %q", name, v.Def, def)
	}
}

var i32 = schema.IntegerType{Bits: 32}

// moreRoundTripCases cover what the model gained: generated columns,
// collations, ON UPDATE, checks, views, table options, index parts and
// methods, and more awkward identifiers.
var moreRoundTripCases = []roundTripCase{
	{
		name: "generated columns",
		ddl:  []string{"CREATE TABLE gen (a INT, b INT, v INT AS (a + b) VIRTUAL, s INT GENERATED ALWAYS AS (a * 2) STORED, c VARCHAR(30) AS (concat('x', a)) STORED COMMENT 'made')"},
		cols: map[string]*schema.Column{
			"gen.v": {Type: i32, Nullable: true, Generated: schema.Generated{Expr: "`a` + `b`"}},
			"gen.s": {Type: i32, Nullable: true, Generated: schema.Generated{Expr: "`a` * 2", Stored: true}},
			"gen.c": {Type: schema.StringType{Size: 30}, Nullable: true, Generated: schema.Generated{Expr: "concat('x',`a`)", Stored: true}, Comment: "made"},
		},
	},
	{
		name: "indexed generated columns",
		ddl: []string{`CREATE TABLE people (id INT PRIMARY KEY, doc JSON,
			name VARCHAR(50) AS (json_unquote(json_extract(doc, '$.name'))) VIRTUAL,
			email VARCHAR(80) AS (lower(json_unquote(json_extract(doc, '$.email')))) STORED,
			INDEX ix_name (name), UNIQUE INDEX uq_email (email))`},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "people", schema.Index{Name: "uq_email", Parts: schema.Columns("email"), Unique: true})
		},
	},
	{
		name: "column collations",
		ddl:  []string{"CREATE TABLE coll (a VARCHAR(10), b VARCHAR(10) COLLATE utf8mb4_bin, c VARCHAR(10) CHARACTER SET latin1, d CHAR(2) CHARACTER SET ascii COLLATE ascii_bin, e TEXT COLLATE utf8mb4_unicode_ci)"},
		cols: map[string]*schema.Column{
			"coll.a": col(schema.StringType{Size: 10}, true, nil),
			"coll.b": {Type: schema.StringType{Size: 10}, Nullable: true, Collation: "utf8mb4_bin"},
			"coll.c": {Type: schema.StringType{Size: 10}, Nullable: true, Collation: "latin1_swedish_ci"},
			"coll.d": {Type: schema.StringType{Size: 2, Fixed: true}, Nullable: true, Collation: "ascii_bin"},
			"coll.e": {Type: schema.StringType{}, Nullable: true, Collation: "utf8mb4_unicode_ci"},
		},
	},
	{
		name: "table charset",
		ddl:  []string{"CREATE TABLE lat (id INT PRIMARY KEY, s VARCHAR(10), u VARCHAR(10) CHARACTER SET utf8mb4) DEFAULT CHARSET=latin1"},
		cols: map[string]*schema.Column{
			"lat.s": col(schema.StringType{Size: 10}, true, nil),
			"lat.u": {Type: schema.StringType{Size: 10}, Nullable: true, Collation: "utf8mb4_general_ci"},
		},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "lat", schema.TableAttrs{Charset: "latin1"})
		},
	},
	{
		name: "table collation",
		ddl:  []string{"CREATE TABLE uni (id INT PRIMARY KEY, s VARCHAR(10)) COLLATE=utf8mb4_unicode_ci"},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "uni", schema.TableAttrs{Collation: "utf8mb4_unicode_ci"})
		},
	},
	{
		name: "table charset and collation",
		ddl:  []string{"CREATE TABLE latbin (id INT PRIMARY KEY, s VARCHAR(10)) DEFAULT CHARSET=latin1 COLLATE=latin1_bin COMMENT='binary latin'"},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "latbin", schema.TableAttrs{Charset: "latin1", Collation: "latin1_bin", Comment: "binary latin"})
		},
	},
	{
		name: "engine MyISAM",
		ddl:  []string{"CREATE TABLE mi (id INT PRIMARY KEY, t TEXT, FULLTEXT INDEX ft_t (t)) ENGINE=MyISAM"},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "mi", schema.TableAttrs{Engine: "MyISAM"})
			wantIndex(t, s, "mi", schema.Index{Name: "ft_t", Parts: schema.Columns("t"), Method: "FULLTEXT"})
		},
	},
	{
		name: "engine MEMORY",
		ddl:  []string{"CREATE TABLE mem (id INT PRIMARY KEY, a INT, b INT, INDEX ix_a (a), INDEX ix_b (b) USING BTREE) ENGINE=MEMORY"},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "mem", schema.TableAttrs{Engine: "MEMORY"})
			wantIndex(t, s, "mem", schema.Index{Name: "ix_a", Parts: schema.Columns("a")})
			wantIndex(t, s, "mem", schema.Index{Name: "ix_b", Parts: schema.Columns("b"), Method: "BTREE"})
		},
	},
	{
		name: "explicit InnoDB",
		ddl:  []string{"CREATE TABLE inno (id INT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
		check: func(t *testing.T, s *schema.Schema) {
			// The database's defaults: nothing to report.
			wantAttrs(t, s, "inno", schema.TableAttrs{})
		},
	},
	{
		name: "on update current timestamp",
		ddl: []string{`CREATE TABLE stamps (id INT PRIMARY KEY,
			created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
			updated DATETIME NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
			touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
			micro DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))`},
		cols: map[string]*schema.Column{
			"stamps.created": col(schema.TimeType{Kind: schema.Timestamp}, false, expr{SQL: "CURRENT_TIMESTAMP"}),
			"stamps.updated": {Type: schema.TimeType{Kind: schema.Timestamp}, Nullable: true, OnUpdate: "CURRENT_TIMESTAMP"},
			"stamps.touched": {Type: schema.RawType{SQL: "timestamp"}, Default: expr{SQL: "CURRENT_TIMESTAMP"}, OnUpdate: "CURRENT_TIMESTAMP"},
			"stamps.micro":   {Type: schema.TimeType{Kind: schema.Timestamp, Precision: 6}, Default: expr{SQL: "CURRENT_TIMESTAMP(6)"}, OnUpdate: "CURRENT_TIMESTAMP(6)"},
		},
	},
	{
		name: "descending index",
		ddl:  []string{"CREATE TABLE scores (id INT PRIMARY KEY, player INT, score INT, at DATETIME, INDEX ix_top (score DESC, at), INDEX ix_player (player, at DESC))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "scores", schema.Index{Name: "ix_top", Parts: []schema.IndexPart{{Column: "score", Desc: true}, {Column: "at"}}})
			wantIndex(t, s, "scores", schema.Index{Name: "ix_player", Parts: []schema.IndexPart{{Column: "player"}, {Column: "at", Desc: true}}})
		},
	},
	{
		name: "prefix index",
		ddl:  []string{"CREATE TABLE docs (id INT PRIMARY KEY, title VARCHAR(500), body TEXT, INDEX ix_title (title(20)), INDEX ix_body (body(100), title(10) DESC))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "docs", schema.Index{Name: "ix_title", Parts: []schema.IndexPart{{Column: "title", Prefix: 20}}})
			wantIndex(t, s, "docs", schema.Index{Name: "ix_body", Parts: []schema.IndexPart{{Column: "body", Prefix: 100}, {Column: "title", Prefix: 10, Desc: true}}})
		},
	},
	{
		name: "unique prefix index",
		ddl:  []string{"CREATE TABLE slugs (id INT PRIMARY KEY, slug VARCHAR(300), site INT, UNIQUE INDEX uq_site_slug (site, slug(191)))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "slugs", schema.Index{Name: "uq_site_slug", Unique: true, Parts: []schema.IndexPart{{Column: "site"}, {Column: "slug", Prefix: 191}}})
		},
	},
	{
		name: "fulltext index",
		ddl:  []string{"CREATE TABLE articles (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, FULLTEXT INDEX ft_all (title, body))", "CREATE FULLTEXT INDEX ft_title ON articles (title)"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "articles", schema.Index{Name: "ft_all", Parts: schema.Columns("title", "body"), Method: "FULLTEXT"})
			wantIndex(t, s, "articles", schema.Index{Name: "ft_title", Parts: schema.Columns("title"), Method: "FULLTEXT"})
		},
	},
	{
		name: "spatial index",
		ddl:  []string{"CREATE TABLE places (id INT PRIMARY KEY, pos POINT NOT NULL, area POLYGON, SPATIAL INDEX sp_pos (pos))"},
		cols: map[string]*schema.Column{"places.pos": col(schema.RawType{SQL: "point"}, false, nil)},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "places", schema.Index{Name: "sp_pos", Parts: schema.Columns("pos"), Method: "SPATIAL"})
		},
	},
	{
		name: "named checks",
		ddl:  []string{"CREATE TABLE ranges (lo INT, hi INT, name VARCHAR(20), CONSTRAINT ck_order CHECK (lo <= hi), CONSTRAINT `ck name` CHECK (name LIKE 'r%' OR name IS NULL))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantChecks(t, s, "ranges", "`lo` <= `hi`", "`name` like 'r%' or `name` is null")
			if _, ok := table(t, s, "ranges").Check("ck name"); !ok {
				t.Errorf("check \"ck name\" missing: %+v", table(t, s, "ranges").Checks)
			}
		},
		mariaDB: true, // MySQL 8 spells the expressions its own way
	},
	{
		name: "unnamed checks",
		ddl:  []string{"CREATE TABLE pos (a INT, b DECIMAL(5,2), CHECK (a > 0), CHECK (b BETWEEN 0 AND 100))"},
		check: func(t *testing.T, s *schema.Schema) {
			if n := len(table(t, s, "pos").Checks); n != 2 {
				t.Errorf("%d checks, want 2", n)
			}
		},
	},
	{
		name: "column-level checks",
		ddl:  []string{"CREATE TABLE colck (qty INT CHECK (qty >= 0), price DECIMAL(8,2) NOT NULL CHECK (price > 0), note VARCHAR(10))"},
		// MariaDB keeps them apart from the table's: they are the columns'.
		check: func(t *testing.T, s *schema.Schema) {
			wantChecks(t, s, "colck")
			for name, want := range map[string]string{"qty": "`qty` >= 0", "price": "`price` > 0", "note": ""} {
				if c, ok := table(t, s, "colck").Column(name); !ok || c.Check != want {
					t.Errorf("column %q check %+v, want %q", name, c, want)
				}
			}
		},
		mariaDB: true,
	},
	{
		name: "json columns",
		ddl:  []string{"CREATE TABLE js (id INT PRIMARY KEY, doc JSON, meta JSON NOT NULL)"},
		cols: map[string]*schema.Column{
			"js.doc":  col(schema.RawType{SQL: "json"}, true, nil),
			"js.meta": col(schema.RawType{SQL: "json"}, false, nil),
		},
		check: func(t *testing.T, s *schema.Schema) { wantChecks(t, s, "js") },
	},
	{
		name: "json column with its own check",
		ddl:  []string{"CREATE TABLE js2 (id INT PRIMARY KEY, doc JSON CHECK (json_valid(doc) AND json_length(doc) < 10))"},
		cols: map[string]*schema.Column{
			"js2.doc": {Type: schema.RawType{SQL: "longtext"}, Nullable: true, Collation: "utf8mb4_bin", Check: "json_valid(`doc`) and json_length(`doc`) < 10"},
		},
		check:   func(t *testing.T, s *schema.Schema) { wantChecks(t, s, "js2") },
		mariaDB: true,
	},
	{
		name: "simple view",
		ddl:  []string{"CREATE TABLE items (id INT PRIMARY KEY, price INT, active BOOL)", "CREATE VIEW cheap AS SELECT id, price FROM items WHERE price < 10 AND active"},
		check: func(t *testing.T, s *schema.Schema) {
			wantView(t, s, "cheap", "select `items`.`id` AS `id`,`items`.`price` AS `price` from `items` where `items`.`price` < 10 and `items`.`active` <> 0")
		},
		mariaDB: true,
	},
	{
		name: "views with joins and odd names",
		ddl: []string{
			"CREATE TABLE `Order` (id INT PRIMARY KEY, `customer id` INT)",
			"CREATE TABLE customer (id INT PRIMARY KEY, `näme` VARCHAR(20))",
			"CREATE VIEW `order view` AS SELECT o.id, c.`näme` AS `who's` FROM `Order` o JOIN customer c ON c.id = o.`customer id`",
			"CREATE VIEW `with literal` AS SELECT 'it''s `x`.y' AS s, 1 + 2 AS n",
		},
		check: func(t *testing.T, s *schema.Schema) {
			if len(s.Views) != 2 {
				t.Errorf("%d views, want 2", len(s.Views))
			}
		},
	},
	{
		name: "view on a view",
		ddl: []string{
			"CREATE TABLE base (id INT PRIMARY KEY, v INT)",
			"CREATE VIEW a_first AS SELECT id, v * 2 AS v2 FROM base",
			"CREATE VIEW b_second AS SELECT id FROM a_first WHERE v2 > 4",
		},
	},
	{
		name: "view with aggregate",
		ddl: []string{
			"CREATE TABLE sales (id INT PRIMARY KEY, region VARCHAR(10), amount DECIMAL(10,2))",
			"CREATE VIEW totals AS SELECT region, SUM(amount) AS total, COUNT(*) AS n FROM sales GROUP BY region HAVING COUNT(*) > 1",
		},
	},
	{
		name: "enum and set",
		ddl:  []string{"CREATE TABLE es (a ENUM('it''s','B','c d') NOT NULL DEFAULT 'it''s', b SET('x','y','Z') DEFAULT 'x,Z', c ENUM('') NULL)"},
		cols: map[string]*schema.Column{
			"es.a": col(schema.RawType{SQL: "enum('it''s','B','c d')"}, false, lit{SQL: "'it''s'"}),
			"es.b": col(schema.RawType{SQL: "set('x','y','Z')"}, true, lit{SQL: "'x,Z'"}),
			"es.c": col(schema.RawType{SQL: "enum('')"}, true, nil),
		},
	},
	{
		name: "non-ASCII identifiers",
		ddl: []string{
			"CREATE TABLE `café` (`naïve` INT PRIMARY KEY, `日本語` VARCHAR(10) COMMENT 'ünïcödé', `Ελληνικά` INT, INDEX `índice` (`日本語`)) COMMENT 'tablé'",
			"CREATE TABLE `crème` (id INT PRIMARY KEY, `café_id` INT, CONSTRAINT `fk_café` FOREIGN KEY (`café_id`) REFERENCES `café` (`naïve`))",
		},
		cols: map[string]*schema.Column{
			"café.日本語": {Type: schema.StringType{Size: 10}, Nullable: true, Comment: "ünïcödé"},
		},
		check: func(t *testing.T, s *schema.Schema) {
			if fk := table(t, s, "crème").ForeignKeys; len(fk) != 1 || fk[0].Name != "fk_café" || fk[0].RefColumns[0] != "naïve" {
				t.Errorf("foreign keys %+v", fk)
			}
			wantIndex(t, s, "café", schema.Index{Name: "índice", Parts: schema.Columns("日本語")})
		},
	},
	{
		name: "reserved words",
		ddl: []string{
			"CREATE TABLE `select` (`from` INT PRIMARY KEY, `where` VARCHAR(10), `group` INT, `key` INT, UNIQUE KEY `index` (`where`), KEY `key` (`key`, `group`))",
			"CREATE TABLE `table` (`column` INT, `references` INT, CONSTRAINT `constraint` FOREIGN KEY (`references`) REFERENCES `select` (`from`) ON DELETE CASCADE, CONSTRAINT `check` CHECK (`column` > 0))",
		},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "select", schema.Index{Name: "index", Parts: schema.Columns("where"), Unique: true})
			if _, ok := table(t, s, "table").Check("check"); !ok {
				t.Error("check named check missing")
			}
		},
	},
	{
		name: "backticks and spaces everywhere",
		ddl: []string{
			"CREATE TABLE `a ``b`` c` (`i d` INT PRIMARY KEY, `x``y` INT, `  lead` INT, INDEX `ix ``q``` (`x``y`), CONSTRAINT `c``k` CHECK (`x``y` <> 3))",
			"CREATE TABLE `ref ``d``` (`i d` INT, FOREIGN KEY (`i d`) REFERENCES `a ``b`` c` (`i d`))",
			"CREATE VIEW `v ``w``` AS SELECT `x``y` FROM `a ``b`` c`",
		},
		cols: map[string]*schema.Column{
			"a `b` c.x`y":    col(i32, true, nil),
			"a `b` c.  lead": col(i32, true, nil),
		},
	},
	{
		name: "mixed case tables",
		ddl: []string{
			"CREATE TABLE `Users` (`ID` INT PRIMARY KEY, `Name` VARCHAR(10))",
			"CREATE TABLE `users` (id INT PRIMARY KEY, `UsersID` INT, FOREIGN KEY (`UsersID`) REFERENCES `Users` (`ID`))",
		},
		check: func(t *testing.T, s *schema.Schema) {
			if len(s.Tables) != 2 {
				t.Errorf("%d tables, want Users and users", len(s.Tables))
			}
		},
	},
	{
		name: "composite foreign key to a unique key",
		ddl: []string{
			"CREATE TABLE region (id INT PRIMARY KEY, country CHAR(2) NOT NULL, code VARCHAR(5) NOT NULL, UNIQUE KEY uq_cc (country, code))",
			`CREATE TABLE city (id INT PRIMARY KEY, country CHAR(2), code VARCHAR(5),
				CONSTRAINT fk_region FOREIGN KEY (country, code) REFERENCES region (country, code) ON UPDATE CASCADE ON DELETE RESTRICT)`,
		},
		check: func(t *testing.T, s *schema.Schema) {
			fk := table(t, s, "city").ForeignKeys
			if len(fk) != 1 || !slices.Equal(fk[0].Columns, []string{"country", "code"}) || fk[0].OnUpdate != "CASCADE" || fk[0].OnDelete != "" {
				t.Errorf("foreign keys %+v", fk)
			}
		},
	},
	{
		name: "composite foreign key in another order",
		ddl: []string{
			"CREATE TABLE p2 (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))",
			"CREATE TABLE c2 (x INT, y INT, FOREIGN KEY (y, x) REFERENCES p2 (a, b) ON DELETE SET NULL)",
		},
		check: func(t *testing.T, s *schema.Schema) {
			fk := table(t, s, "c2").ForeignKeys
			if len(fk) != 1 || !slices.Equal(fk[0].Columns, []string{"y", "x"}) || !slices.Equal(fk[0].RefColumns, []string{"a", "b"}) {
				t.Errorf("foreign keys %+v", fk)
			}
		},
	},
	{
		name: "several keys to one table",
		ddl: []string{
			"CREATE TABLE person (id INT PRIMARY KEY)",
			"CREATE TABLE message (id INT PRIMARY KEY, sender INT NOT NULL, recipient INT, cc INT, FOREIGN KEY (sender) REFERENCES person (id), FOREIGN KEY (recipient) REFERENCES person (id) ON DELETE SET NULL, CONSTRAINT fk_cc FOREIGN KEY (cc) REFERENCES person (id) ON UPDATE SET NULL)",
		},
	},
	{
		name: "foreign key cycle",
		ddl: []string{
			"CREATE TABLE dept (id INT PRIMARY KEY, head INT)",
			"CREATE TABLE emp (id INT PRIMARY KEY, dept INT, FOREIGN KEY (dept) REFERENCES dept (id))",
			"ALTER TABLE dept ADD CONSTRAINT fk_head FOREIGN KEY (head) REFERENCES emp (id) ON DELETE SET NULL",
		},
	},
	{
		name: "self-referencing composite key",
		ddl:  []string{"CREATE TABLE tree (org INT NOT NULL, id INT NOT NULL, parent INT, PRIMARY KEY (org, id), FOREIGN KEY (org, parent) REFERENCES tree (org, id) ON DELETE CASCADE)"},
	},
	{
		name: "foreign key served by a longer index",
		ddl: []string{
			"CREATE TABLE acct (id INT PRIMARY KEY)",
			"CREATE TABLE txn (id INT PRIMARY KEY, acct INT, at DATETIME, INDEX ix_acct_at (acct, at DESC), FOREIGN KEY (acct) REFERENCES acct (id))",
		},
		check: func(t *testing.T, s *schema.Schema) {
			if n := len(table(t, s, "txn").Indexes); n != 1 {
				t.Errorf("%d indexes, want only ix_acct_at", n)
			}
		},
	},
	{
		name: "foreign key beside a prefix index",
		ddl: []string{
			"CREATE TABLE tag (name VARCHAR(50) PRIMARY KEY)",
			"CREATE TABLE tagging (id INT PRIMARY KEY, tag VARCHAR(50), INDEX ix_tag_prefix (tag(5)), FOREIGN KEY (tag) REFERENCES tag (name) ON UPDATE CASCADE)",
		},
		check: func(t *testing.T, s *schema.Schema) {
			// A prefix index serves no foreign key: InnoDB adds its own.
			if n := len(table(t, s, "tagging").Indexes); n != 2 {
				t.Errorf("%d indexes, want 2: %+v", n, table(t, s, "tagging").Indexes)
			}
		},
	},
	{
		name: "no primary key",
		ddl:  []string{"CREATE TABLE heap (a INT, b VARCHAR(10), INDEX (a))"},
		check: func(t *testing.T, s *schema.Schema) {
			if pk := table(t, s, "heap").PrimaryKey; pk != nil {
				t.Errorf("primary key %+v, want none", pk)
			}
			wantIndex(t, s, "heap", schema.Index{Name: "a", Parts: schema.Columns("a")})
		},
	},
	{
		name: "auto increment on a unique key",
		ddl:  []string{"CREATE TABLE ai (code CHAR(3) PRIMARY KEY, n INT UNSIGNED NOT NULL AUTO_INCREMENT, UNIQUE KEY (n))"},
		cols: map[string]*schema.Column{"ai.n": {Type: schema.IntegerType{Bits: 32, Unsigned: true}, AutoIncrement: true}},
	},
	{
		name: "bit, year and binary defaults",
		ddl:  []string{"CREATE TABLE bits (a BIT(1) DEFAULT b'1', b BIT(8) NOT NULL DEFAULT b'0', y YEAR DEFAULT 2024, v VARBINARY(4) DEFAULT 'ab', bn BINARY(2) DEFAULT 'z')"},
		cols: map[string]*schema.Column{
			"bits.y": col(schema.RawType{SQL: "year"}, true, lit{SQL: "2024"}),
		},
	},
	{
		name: "large and exact numbers",
		ddl:  []string{"CREATE TABLE big (a DECIMAL(65,30) DEFAULT -1.5, b DECIMAL(3,0), c DOUBLE NOT NULL DEFAULT 1e10, d FLOAT DEFAULT 0.5, e BIGINT DEFAULT -9223372036854775808, f TINYINT UNSIGNED DEFAULT 255)"},
		cols: map[string]*schema.Column{
			"big.a": col(schema.DecimalType{Precision: 65, Scale: 30}, true, lit{SQL: "-1.500000000000000000000000000000"}),
			"big.b": col(schema.DecimalType{Precision: 3}, true, nil),
			"big.e": col(schema.IntegerType{Bits: 64}, true, lit{SQL: "-9223372036854775808"}),
			"big.f": col(schema.IntegerType{Bits: 8, Unsigned: true}, true, lit{SQL: "255"}),
		},
	},
	{
		name: "long strings",
		ddl:  []string{"CREATE TABLE longs (a VARCHAR(16000), b CHAR(255) NOT NULL DEFAULT 'pad', c VARCHAR(1) DEFAULT '''', d VARCHAR(10) DEFAULT 'tab\\there')"},
		cols: map[string]*schema.Column{
			"longs.a": col(schema.StringType{Size: 16000}, true, nil),
			"longs.c": col(schema.StringType{Size: 1}, true, lit{SQL: "''''"}),
			"longs.d": col(schema.StringType{Size: 10}, true, lit{SQL: "'tab\there'"}),
		},
	},
	{
		name: "more expression defaults",
		ddl:  []string{"CREATE TABLE exd (a VARCHAR(20) DEFAULT (concat('a', 'b')), b DOUBLE DEFAULT (rand()), c DATETIME(3) DEFAULT (now(3) + INTERVAL 1 DAY), d TIME(6) DEFAULT (curtime(6)))"},
		cols: map[string]*schema.Column{
			"exd.d": col(schema.TimeType{Kind: schema.TimeOfDay, Precision: 6}, true, expr{SQL: "curtime(6)"}),
		},
		mariaDB: true,
	},
	{
		name: "time defaults with precision",
		ddl:  []string{"CREATE TABLE tp (a TIME(6) DEFAULT '01:02:03.5', b DATETIME(2) NOT NULL DEFAULT '2000-01-01 00:00:00.25', c TIMESTAMP(6) NULL DEFAULT '2001-02-03 04:05:06.000007', d DATE NOT NULL DEFAULT '1999-12-31')"},
		cols: map[string]*schema.Column{
			"tp.a": col(schema.TimeType{Kind: schema.TimeOfDay, Precision: 6}, true, lit{SQL: "'01:02:03.500000'"}),
			"tp.b": col(schema.TimeType{Kind: schema.Timestamp, Precision: 2}, false, lit{SQL: "'2000-01-01 00:00:00.25'"}),
		},
	},
	{
		name: "unique index on several columns with desc",
		ddl:  []string{"CREATE TABLE uix (a INT NOT NULL, b VARCHAR(20) NOT NULL, c DATE, UNIQUE KEY uq_abc (a, b DESC, c), KEY (c))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "uix", schema.Index{Name: "uq_abc", Unique: true, Parts: []schema.IndexPart{{Column: "a"}, {Column: "b", Desc: true}, {Column: "c"}}})
			wantIndex(t, s, "uix", schema.Index{Name: "c", Parts: schema.Columns("c")})
		},
	},
	{
		name: "unnamed indexes with clashing names",
		ddl:  []string{"CREATE TABLE clash (a INT, b INT, INDEX (a), INDEX (a, b), UNIQUE (a))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "clash", schema.Index{Name: "a_2", Parts: schema.Columns("a", "b")})
			wantIndex(t, s, "clash", schema.Index{Name: "a_3", Parts: schema.Columns("a"), Unique: true})
		},
	},
	{
		name: "comments with quotes and unicode",
		ddl:  []string{"CREATE TABLE cm (a INT COMMENT 'a ''quoted'' \"double\" \\\\ back', b INT COMMENT '') COMMENT 'über ''table'''"},
		cols: map[string]*schema.Column{"cm.a": {Type: i32, Nullable: true, Comment: `a 'quoted' "double" \ back`}},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "cm", schema.TableAttrs{Comment: "über 'table'"})
		},
	},
	{
		name: "long unique key on a blob",
		ddl:  []string{"CREATE TABLE lu (id INT PRIMARY KEY, body BLOB, UNIQUE KEY uq_body (body))"},
		check: func(t *testing.T, s *schema.Schema) {
			wantIndex(t, s, "lu", schema.Index{Name: "uq_body", Unique: true, Parts: schema.Columns("body"), Method: "HASH"})
		},
		mariaDB: true,
	},
	{
		name: "everything in one table",
		ddl: []string{
			"CREATE TABLE acc (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, email VARCHAR(191) NOT NULL) COMMENT 'accounts'",
			`CREATE TABLE post (
				id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
				acc BIGINT UNSIGNED NOT NULL COMMENT 'author',
				title VARCHAR(200) NOT NULL COLLATE utf8mb4_bin,
				slug VARCHAR(200) AS (lower(replace(title, ' ', '-'))) STORED,
				body MEDIUMTEXT,
				status ENUM('draft','live') NOT NULL DEFAULT 'draft',
				score DECIMAL(6,2) NOT NULL DEFAULT 0,
				created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
				updated DATETIME(6) NULL ON UPDATE CURRENT_TIMESTAMP(6),
				PRIMARY KEY (id),
				UNIQUE KEY uq_slug (slug),
				KEY ix_acc_created (acc, created DESC),
				FULLTEXT KEY ft_body (body),
				CONSTRAINT fk_post_acc FOREIGN KEY (acc) REFERENCES acc (id) ON DELETE CASCADE,
				CONSTRAINT ck_score CHECK (score >= 0)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='posts'`,
			"CREATE VIEW live_posts AS SELECT id, title FROM post WHERE status = 'live'",
		},
		cols: map[string]*schema.Column{
			"post.title":   {Type: schema.StringType{Size: 200}, Collation: "utf8mb4_bin"},
			"post.status":  col(schema.RawType{SQL: "enum('draft','live')"}, false, lit{SQL: "'draft'"}),
			"post.updated": {Type: schema.TimeType{Kind: schema.Timestamp, Precision: 6}, Nullable: true, OnUpdate: "CURRENT_TIMESTAMP(6)"},
		},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "post", schema.TableAttrs{Comment: "posts", Collation: "utf8mb4_unicode_ci"})
			if len(table(t, s, "post").Checks) != 1 || len(table(t, s, "post").Indexes) != 3 {
				t.Errorf("post: %d checks, %d indexes; want 1, 3", len(table(t, s, "post").Checks), len(table(t, s, "post").Indexes))
			}
		},
	},
	{
		name: "tables and views excluded by nothing",
		ddl: []string{
			"CREATE TABLE e1 (id INT PRIMARY KEY)",
			"CREATE TABLE e2 (id INT PRIMARY KEY, e1 INT, FOREIGN KEY (e1) REFERENCES e1 (id))",
			"CREATE VIEW e3 AS SELECT e2.id, e1.id AS e1id FROM e2 LEFT JOIN e1 ON e1.id = e2.e1",
		},
	},
	{
		name: "utf8mb3 table",
		ddl:  []string{"CREATE TABLE m3 (id INT PRIMARY KEY, s VARCHAR(10)) CHARACTER SET utf8"},
		check: func(t *testing.T, s *schema.Schema) {
			wantAttrs(t, s, "m3", schema.TableAttrs{Charset: "utf8mb3"})
		},
	},
	{
		name: "generated column of a checked column",
		ddl:  []string{"CREATE TABLE gc (w INT NOT NULL, h INT NOT NULL, area INT AS (w * h) VIRTUAL, CONSTRAINT ck_w CHECK (w > 0), INDEX ix_area (area))"},
	},
	{
		name: "nullable timestamp variants",
		ddl:  []string{"CREATE TABLE tsv (a TIMESTAMP NULL, b TIMESTAMP NULL DEFAULT NULL, c TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00', d TIMESTAMP(3) NULL DEFAULT CURRENT_TIMESTAMP(3))"},
		cols: map[string]*schema.Column{
			"tsv.a": col(schema.RawType{SQL: "timestamp"}, true, nil),
			"tsv.c": col(schema.RawType{SQL: "timestamp"}, false, lit{SQL: "'2000-01-01 00:00:00'"}),
			"tsv.d": col(schema.RawType{SQL: "timestamp(3)"}, true, expr{SQL: "CURRENT_TIMESTAMP(3)"}),
		},
	},
	{
		name: "geometry types",
		ddl:  []string{"CREATE TABLE geo (g GEOMETRY, l LINESTRING, mp MULTIPOINT, gc GEOMETRYCOLLECTION)"},
		cols: map[string]*schema.Column{"geo.l": col(schema.RawType{SQL: "linestring"}, true, nil)},
	},
}
