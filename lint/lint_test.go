package lint_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// current is the schema before the linted revisions: items with a
// varchar(100) title, an int64 qty, a nullable note.
var current = &schema.Schema{Tables: []*schema.Table{{
	Name: "items",
	Columns: []*schema.Column{
		{Name: "id", Type: schema.IntegerType{Bits: 64}},
		{Name: "title", Type: schema.StringType{Size: 100}},
		{Name: "qty", Type: schema.IntegerType{Bits: 64}},
		{Name: "note", Type: schema.StringType{}, Nullable: true},
		{Name: "tag", Type: schema.RawType{SQL: "character varying"}, Nullable: true},
		{Name: "price", Type: schema.DecimalType{Precision: 10, Scale: 2}},
	},
}, {
	Name: "latin", Charset: "latin1",
	Columns: []*schema.Column{
		{Name: "name", Type: schema.StringType{Size: 100}},
		{Name: "code", Type: schema.StringType{Size: 20}, Collation: "utf8mb4_bin"},
	},
}}}

func TestRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dialect, sql string
		want               []string // rule ids, in order
	}{
		{"drop table", "sqlite", "DROP TABLE items", []string{"SL001"}},
		{"drop of a table made in the same revision", "sqlite", "CREATE TABLE tmp (id INTEGER);\nDROP TABLE tmp", nil},
		{"drop column", "postgres", `ALTER TABLE "items" DROP COLUMN "note"`, []string{"SL002"}},
		{"drop constraint is not a column", "postgres", "ALTER TABLE items DROP CONSTRAINT items_fk", nil},
		{"mysql column replaced from strata's scratch copy", "mysql", "ALTER TABLE `items` DROP COLUMN `note`, CHANGE COLUMN `_strata_note` `note` TEXT NULL", nil},
		{"mysql drop column among clauses", "mysql", "ALTER TABLE `items` ADD COLUMN x INT NULL, DROP COLUMN `note`", []string{"SL002"}},
		{"narrow varchar", "postgres", "ALTER TABLE items ALTER COLUMN title TYPE varchar(50)", []string{"SL003", "PG104"}},
		{"widen varchar is fine", "postgres", "ALTER TABLE items ALTER COLUMN title TYPE varchar(200)", nil},
		{"unbounded varchar to text is fine", "postgres", "ALTER TABLE items ALTER COLUMN tag TYPE text", nil},
		{"unbounded varchar to a bounded one rewrites", "postgres", "ALTER TABLE items ALTER COLUMN tag TYPE varchar(10)", []string{"SL003", "PG104"}},
		{"narrow integer on mysql", "mysql", "ALTER TABLE items MODIFY COLUMN qty INT NOT NULL", []string{"SL003", "MY201"}},
		{"narrow decimal", "postgres", "ALTER TABLE items ALTER COLUMN price TYPE numeric(6,2)", []string{"SL003", "PG104"}},
		{"not null without default", "sqlite", "ALTER TABLE items ADD COLUMN done BOOLEAN NOT NULL", []string{"SL004"}},
		{"not null with default is fine", "sqlite", "ALTER TABLE items ADD COLUMN done BOOLEAN NOT NULL DEFAULT false", nil},
		{"set not null without backfill", "postgres", "ALTER TABLE items ALTER COLUMN note SET NOT NULL", []string{"SL004"}},
		{"set not null after backfill", "postgres", "UPDATE items SET note = '' WHERE note IS NULL;\nALTER TABLE items ALTER COLUMN note SET NOT NULL", nil},
		{"mysql modify not null without backfill", "mysql", "ALTER TABLE `items` MODIFY COLUMN `note` TEXT NOT NULL", []string{"SL004"}},
		{"rename column", "postgres", "ALTER TABLE items RENAME COLUMN title TO name", []string{"SL005"}},
		{"rename table", "sqlite", "ALTER TABLE items RENAME TO things", []string{"SL005"}},
		{"sqlite rebuild is not a rename", "sqlite", "CREATE TABLE \"_strata_new_items\" (id INTEGER);\nALTER TABLE \"_strata_new_items\" RENAME TO \"items\"", nil},
		{"mysql change column renames", "mysql", "ALTER TABLE items CHANGE COLUMN title name VARCHAR(100) NOT NULL", []string{"SL005"}},
		{"index without concurrently", "postgres", "CREATE INDEX ix_items_title ON items (title)", []string{"PG101"}},
		{"index concurrently is fine", "postgres", "CREATE INDEX CONCURRENTLY ix_items_title ON items (title)", nil},
		{"index on a new table is fine", "postgres", "CREATE TABLE t (a int);\nCREATE INDEX ix_t ON t (a)", nil},
		{"index on sqlite is not PG101", "sqlite", "CREATE INDEX ix_items_title ON items (title)", nil},
		{"fk without not valid", "postgres", "ALTER TABLE items ADD CONSTRAINT fk FOREIGN KEY (qty) REFERENCES other (id)", []string{"PG102"}},
		{"fk not valid is fine", "postgres", "ALTER TABLE items ADD CONSTRAINT fk FOREIGN KEY (qty) REFERENCES other (id) NOT VALID", nil},
		{"check without not valid", "postgres", "ALTER TABLE items ADD CONSTRAINT ck CHECK (qty > 0)", []string{"PG103"}},
		{"volatile default", "postgres", "ALTER TABLE items ADD COLUMN token uuid DEFAULT gen_random_uuid()", []string{"PG105"}},
		{"stable default is fine", "postgres", "ALTER TABLE items ADD COLUMN at timestamptz DEFAULT now()", nil},
		{"mysql primary key change", "mysql", "ALTER TABLE items DROP PRIMARY KEY, ADD PRIMARY KEY (id, qty)", []string{"MY201"}},
		{"mysql widening varchar in place", "mysql", "ALTER TABLE items MODIFY COLUMN title VARCHAR(200) NOT NULL", nil},
		{"mysql widening a short varchar in place", "mysql", "ALTER TABLE latin MODIFY COLUMN code VARCHAR(60) NOT NULL", nil},
		{"mysql widening varchar past 255 bytes copies", "mysql", "ALTER TABLE latin MODIFY COLUMN code VARCHAR(100) NOT NULL", []string{"MY201"}},
		{"mysql widening a latin1 varchar within 255 bytes", "mysql", "ALTER TABLE latin MODIFY COLUMN name VARCHAR(250) NOT NULL", nil},
		// One ALTER TABLE per table, as the MySQL renderer writes a plan
		// (dialect/mysql RenderPlan): each rule still finds its clause.
		{"mysql combined alter", "mysql", "ALTER TABLE `items`\n  ADD COLUMN `x` INT NULL,\n  MODIFY COLUMN `qty` INT NOT NULL,\n  DROP COLUMN `note`", []string{"SL002", "SL003", "MY201"}},
		{"mysql combined alter with a rename and not null", "mysql", "ALTER TABLE `items`\n  ADD INDEX `ix` (`title`),\n  ADD COLUMN `done` BOOLEAN NOT NULL,\n  CHANGE COLUMN `title` `name` VARCHAR(100) NOT NULL", []string{"SL004", "SL005"}},
		{"postgres combined alter", "postgres", "ALTER TABLE \"items\"\n  DROP COLUMN \"note\",\n  ALTER COLUMN \"title\" TYPE character varying(50),\n  ADD CONSTRAINT \"fk\" FOREIGN KEY (\"qty\") REFERENCES \"other\" (\"id\")", []string{"SL002", "SL003", "PG102", "PG104"}},
		{"mysql combined alter after a backfill", "mysql", "UPDATE `items` SET `note` = '' WHERE `note` IS NULL;\nALTER TABLE `items`\n  MODIFY COLUMN `note` TEXT NOT NULL,\n  ADD INDEX `ix` (`qty`)", nil},

		// strata's own output, and tables the revision created earlier.
		{"widen character varying as strata writes it", "postgres", `ALTER TABLE "items" ALTER COLUMN "title" TYPE character varying(200)`, nil},
		{"narrow character varying as strata writes it", "postgres", `ALTER TABLE "items" ALTER COLUMN "title" TYPE character varying(50)`, []string{"SL003", "PG104"}},
		{"varchar to text is fine", "postgres", "ALTER TABLE items ALTER COLUMN title TYPE text", nil},
		{"widen numeric at the same scale is fine", "postgres", "ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2)", nil},
		{"numeric to another scale rewrites", "postgres", "ALTER TABLE items ALTER COLUMN price TYPE numeric(12,3)", []string{"PG104"}},
		{"USING rewrites", "postgres", "ALTER TABLE items ALTER COLUMN title TYPE varchar(200) USING upper(title)", []string{"PG104"}},
		{"bigint to numeric rewrites", "postgres", "ALTER TABLE items ALTER COLUMN qty TYPE numeric(30,0)", []string{"PG104"}},
		{"index on a new table named in another case", "postgres", "CREATE TABLE Posts (a int);\nCREATE INDEX ix_posts ON posts (a)", nil},
		{"index on a new table renamed", "postgres", "CREATE TABLE t_new (a int);\nALTER TABLE t_new RENAME TO t2;\nCREATE INDEX ix_t2 ON t2 (a)", nil},
		{"fk and check on a new table", "postgres", "CREATE TABLE \"t\" (a int);\nALTER TABLE \"t\" ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES items (id), ADD CONSTRAINT ck CHECK (a > 0)", nil},
		{"type change on a new table", "postgres", "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint", nil},
		{"mysql rename of a new table", "mysql", "CREATE TABLE t_new (a INT);\nRENAME TABLE t_new TO t2", nil},
		{"mysql rename of a table", "mysql", "RENAME TABLE items TO things", []string{"SL005"}},
		{"mysql modify on a new table", "mysql", "CREATE TABLE `t` (a INT);\nALTER TABLE `t` MODIFY COLUMN a BIGINT NOT NULL, DROP PRIMARY KEY", nil},
		{"sqlite drop column and not null on a new table", "sqlite", "CREATE TABLE t (a INT, b INT);\nALTER TABLE t DROP COLUMN b;\nALTER TABLE T ADD COLUMN c INT NOT NULL", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stmts, err := revision.Split(tc.sql, 1)
			if err != nil {
				t.Fatal(err)
			}
			rev := &revision.Revision{ID: "001", Path: "001.sql", Up: stmts}
			var got []string
			for _, f := range lint.Revision(rev, tc.dialect, current, false) {
				got = append(got, f.Rule)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("findings %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIgnore(t *testing.T) {
	t.Parallel()
	rev, err := revision.Parse("002.sql", []byte("-- strata:revision 002\n-- strata:lint-ignore SL001 the table was retired last year\n-- migrate:up\nDROP TABLE items;\nALTER TABLE items DROP COLUMN note;\n-- migrate:down\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := lint.Revision(rev, "sqlite", current, false)
	if len(fs) != 2 || fs[0].Ignored != "the table was retired last year" || !strings.Contains(fs[0].Where, "002.sql:4") {
		t.Fatalf("findings %+v", fs)
	}
	if active := lint.Active(fs); len(active) != 1 || active[0].Rule != "SL002" {
		t.Fatalf("active %+v", active)
	}
	if _, err := revision.Parse("003.sql", []byte("-- strata:revision 003\n-- strata:lint-ignore SL001\n-- migrate:up\n")); err == nil || !strings.Contains(err.Error(), "003.sql:2") {
		t.Fatalf("lint-ignore without a reason: %v", err)
	}
}

// TestEveryRuleHasDocs: each rule id has its page.
func TestEveryRuleHasDocs(t *testing.T) {
	for _, r := range lint.Rules {
		if _, err := readDoc(r.ID); err != nil {
			t.Errorf("rule %s has no docs/lint/%s.md: %v", r.ID, r.ID, err)
		}
	}
}

// TestSQLiteRebuildIsNotADrop: the drops inside SQLite's table rebuild (the
// old table, the guard table) lose nothing and are not flagged.
func TestSQLiteRebuildIsNotADrop(t *testing.T) {
	t.Parallel()
	stmts, err := revision.Split(`CREATE TEMP TABLE "_strata_rebuild_guard" (x INTEGER);
DROP TABLE temp."_strata_rebuild_guard";
CREATE TABLE "_strata_new_items" (id INTEGER);
INSERT INTO "_strata_new_items" (id) SELECT id FROM "items";
DROP TABLE "items";
ALTER TABLE "_strata_new_items" RENAME TO "items";
DROP TABLE "other";`, 1)
	if err != nil {
		t.Fatal(err)
	}
	fs := lint.Revision(&revision.Revision{ID: "001", Up: stmts}, "sqlite", current, false)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "other") {
		t.Fatalf("findings %v, want only the drop of other", fs)
	}
}

// TestSQLiteRebuildAsideIsNotADrop: the rebuild strata writes now (the old
// table renamed aside, the new one created under the name, the old one
// dropped) is neither a rename nor a drop of the application's table.
func TestSQLiteRebuildAsideIsNotADrop(t *testing.T) {
	t.Parallel()
	stmts, err := revision.Split(`PRAGMA legacy_alter_table = ON;
ALTER TABLE items RENAME TO _strata_old_items;
CREATE TABLE items (id INTEGER, title TEXT, qty INTEGER, note TEXT, tag TEXT, price INTEGER);
INSERT INTO items (id, title, qty, note, tag, price)
  SELECT id, title, qty, note, tag, price FROM _strata_old_items;
DROP TABLE _strata_old_items;
PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_key_check(items);
DROP TABLE "other";`, 1)
	if err != nil {
		t.Fatal(err)
	}
	fs := lint.Revision(&revision.Revision{ID: "001", Up: stmts}, "sqlite", current, false)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "other") {
		t.Fatalf("findings %v, want only the drop of other", fs)
	}
}

// TestRevisionLazyLoadsOnlyWhenNeeded: a revision that only creates its own
// tables never asks for the schema; one that changes an existing table
// asks once, and gets the same findings as Revision.
func TestRevisionLazyLoadsOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sql   string
		loads int
		want  string
	}{
		{"CREATE TABLE t (a int);\nCREATE INDEX ix_t ON t (a);\nALTER TABLE t ALTER COLUMN a SET NOT NULL", 0, ""},
		{"ALTER TABLE items ALTER COLUMN title TYPE varchar(50);\nALTER TABLE items ALTER COLUMN note SET NOT NULL", 1, "SL003 PG104 SL004"},
		{"ALTER TABLE items ALTER COLUMN title TYPE varchar(200)", 1, ""},
	} {
		stmts, err := revision.Split(tc.sql, 1)
		if err != nil {
			t.Fatal(err)
		}
		rev := &revision.Revision{ID: "001", Path: "001.sql", Up: stmts}
		loads := 0
		var got []string
		for _, f := range lint.RevisionLazy(rev, "postgres", func() *schema.Schema { loads++; return current }, false) {
			got = append(got, f.Rule)
		}
		if loads != tc.loads || strings.Join(got, " ") != tc.want {
			t.Errorf("%q: %d load(s), findings %v; want %d, %q", tc.sql, loads, got, tc.loads, tc.want)
		}
	}
}

// TestRewriteFromTheDowngrade: where the schema before the revision is
// unknown (lint --all, later pending revisions), PG104 reads the column's
// old type from the downgrade that changes it back, as strata migrate
// writes it: a widening passes, a change from an integer does not.
func TestRewriteFromTheDowngrade(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		up, down string
		want     []string
	}{
		{`ALTER TABLE "users" ALTER COLUMN "name" TYPE character varying(100)`, `ALTER TABLE "users" ALTER COLUMN "name" TYPE character varying(50)`, nil},
		{`ALTER TABLE "users" ALTER COLUMN "name" TYPE text`, `ALTER TABLE "users" ALTER COLUMN "name" TYPE character varying(50)`, nil},
		{`ALTER TABLE "users" ALTER COLUMN "name" TYPE text`, `ALTER TABLE "users" ALTER COLUMN "name" TYPE integer`, []string{"PG104"}},
		{`ALTER TABLE "users" ALTER COLUMN "name" TYPE character varying(100)`, `SELECT 1`, []string{"PG104"}},
	} {
		up, err := revision.Split(tc.up, 1)
		if err != nil {
			t.Fatal(err)
		}
		down, err := revision.Split(tc.down, 1)
		if err != nil {
			t.Fatal(err)
		}
		rev := &revision.Revision{ID: "001", Path: "001.sql", Up: up, Down: down}
		var got []string
		for _, f := range lint.Revision(rev, "postgres", nil, false) {
			got = append(got, f.Rule)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s (down: %s): findings %v, want %v", tc.up, tc.down, got, tc.want)
		}
	}
}

// TestNotNullFromTheDowngrade: where the schema is unknown, a MySQL
// MODIFY that keeps a column NOT NULL (a widening, as strata migrate
// writes it) is no new NOT NULL when the downgrade's MODIFY keeps it NOT
// NULL too.
func TestNotNullFromTheDowngrade(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		down string
		want []string
	}{
		{"ALTER TABLE `users` MODIFY COLUMN `name` VARCHAR(20) NOT NULL", nil},
		{"ALTER TABLE `users` MODIFY COLUMN `name` VARCHAR(20) NULL", []string{"SL004"}},
		{"SELECT 1", []string{"SL004"}},
	} {
		up, err := revision.Split("ALTER TABLE `users` MODIFY COLUMN `name` VARCHAR(60) NOT NULL", 1)
		if err != nil {
			t.Fatal(err)
		}
		down, err := revision.Split(tc.down, 1)
		if err != nil {
			t.Fatal(err)
		}
		rev := &revision.Revision{ID: "001", Path: "001.sql", Up: up, Down: down}
		var got []string
		for _, f := range lint.Revision(rev, "mysql", nil, false) {
			got = append(got, f.Rule)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("down %s: findings %v, want %v", tc.down, got, tc.want)
		}
	}
}

// TestSQLiteRebuildDropsColumn: a column that a SQLite table rebuild does
// not copy is dropped, with its values: SL002, at the copy; a column
// renamed before the rebuild and copied under its new name is not.
func TestSQLiteRebuildDropsColumn(t *testing.T) {
	t.Parallel()
	before := &schema.Schema{Tables: []*schema.Table{{Name: "items", Columns: []*schema.Column{
		{Name: "id", Type: schema.IntegerType{Bits: 64}}, {Name: "title", Type: schema.StringType{}},
		{Name: "note", Type: schema.StringType{}, Nullable: true}, {Name: "old", Type: schema.StringType{}, Nullable: true},
	}}}}
	stmts, err := revision.Split(`ALTER TABLE items RENAME COLUMN old TO renamed;
PRAGMA legacy_alter_table = ON;
ALTER TABLE items RENAME TO _strata_old_items;
CREATE TABLE items (id INTEGER, title TEXT NOT NULL, renamed TEXT);
INSERT INTO items (id, title, renamed)
  SELECT id, coalesce(title, ''), renamed FROM _strata_old_items;
DROP TABLE _strata_old_items;
PRAGMA legacy_alter_table = OFF;`, 1)
	if err != nil {
		t.Fatal(err)
	}
	fs := lint.Revision(&revision.Revision{ID: "001", Up: stmts}, "sqlite", before, false)
	var drops []lint.Finding
	for _, f := range fs {
		if f.Rule == "SL002" {
			drops = append(drops, f)
		}
	}
	if len(drops) != 1 || !strings.Contains(drops[0].Message, "items.note") || strings.Contains(drops[0].Message, "renamed") || drops[0].Index != 4 {
		t.Fatalf("findings %+v, want one SL002 for items.note at the copy", fs)
	}
}

// TestSQLiteRebuildDropsColumnSchemaUnknown: with the schema before the
// revision unknown, the downgrade's rebuild tells the columns the upgrade's
// leaves behind.
func TestSQLiteRebuildDropsColumnSchemaUnknown(t *testing.T) {
	t.Parallel()
	split := func(sql string) []revision.Statement {
		stmts, err := revision.Split(sql, 1)
		if err != nil {
			t.Fatal(err)
		}
		return stmts
	}
	rev := &revision.Revision{ID: "001",
		Up: split(`PRAGMA legacy_alter_table = ON;
ALTER TABLE users RENAME TO _strata_old_users;
CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, name VARCHAR(60) NOT NULL);
INSERT INTO users (id, name)
  SELECT id, name FROM _strata_old_users;
DROP TABLE _strata_old_users;
PRAGMA legacy_alter_table = OFF;`),
		Down: split(`PRAGMA legacy_alter_table = ON;
ALTER TABLE users RENAME TO _strata_old_users;
CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, name VARCHAR(20) NOT NULL, bio VARCHAR(50), UNIQUE (name), CONSTRAINT c CHECK (id > 0));
INSERT INTO users (id, name)
  SELECT id, name FROM _strata_old_users;
DROP TABLE _strata_old_users;
PRAGMA legacy_alter_table = OFF;`)}
	fs := lint.Revision(rev, "sqlite", nil, false)
	if len(fs) != 1 || fs[0].Rule != "SL002" || !strings.Contains(fs[0].Message, "drops column users.bio and") {
		t.Fatalf("findings %+v, want one SL002 for users.bio", fs)
	}
}
