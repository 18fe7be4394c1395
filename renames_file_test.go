package strata_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

const renameV1 = `CREATE TABLE lists (id INTEGER PRIMARY KEY);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  mail VARCHAR(100) NOT NULL,
  list_id INTEGER,
  CONSTRAINT list_positive CHECK (list_id > 0),
  CONSTRAINT users_list FOREIGN KEY (list_id) REFERENCES lists (id)
);
CREATE INDEX users_mail_idx ON users (mail);
`

// renameV2 renames the table, a column, a check, a foreign key and an
// index, with the annotation both at the end of the line and above it.
const renameV2 = `CREATE TABLE lists (id INTEGER PRIMARY KEY);
-- strata:renamed_from users
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  email VARCHAR(100) NOT NULL, -- strata:renamed_from mail
  list_id INTEGER,
  -- strata:renamed_from list_positive
  CONSTRAINT list_over_zero CHECK (list_id > 0),
  CONSTRAINT accounts_list FOREIGN KEY (list_id) REFERENCES lists (id) -- strata:renamed_from users_list
);
CREATE INDEX accounts_email_idx ON accounts (email); -- strata:renamed_from users_mail_idx
`

// TestSchemaFileRenamedFrom: -- strata:renamed_from in a schema file
// renames a table, a column, a check, a foreign key and an index in
// place, keeping the data; the database then prints the schema as a fresh
// database made from the file does; the downgrade renames everything
// back; the annotations, left in the file, change nothing afterwards.
func TestSchemaFileRenamedFrom(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		m, url, _, file, db := openFileMigrator(t, dialect)
		writeFile(t, file, renameV1)
		if _, err := m.Autogenerate(ctx, "v1"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		before := oracleSchema(t, dialect, url, db)
		for _, s := range []string{"INSERT INTO lists (id) VALUES (7)", "INSERT INTO users (id, mail, list_id) VALUES (1, 'ann@example.com', 7)"} {
			if _, err := db.ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}

		writeFile(t, file, renameV2)
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ops := opStrings(plan)
		for _, o := range ops {
			if strings.HasPrefix(o, "drop table") || strings.HasPrefix(o, "drop column") || strings.HasPrefix(o, "create table") {
				t.Errorf("op %q: a rename should not drop or create", o)
			}
		}
		for _, want := range []string{
			`rename table "users" to "accounts"`,
			`rename constraint "list_positive" of "accounts" to "list_over_zero"`,
			`rename constraint "users_list" of "accounts" to "accounts_list"`,
			`rename constraint "users_mail_idx" of "accounts" to "accounts_email_idx"`,
		} {
			if !slices.Contains(ops, want) {
				t.Errorf("ops %q lack %q", ops, want)
			}
		}
		if _, err := m.WriteRevision(ctx, "renames", plan); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatalf("%v\nthe upgrade:\n%s", err, strings.Join(plan.Up, ";\n"))
		}
		var email string
		if err := db.QueryRowContext(ctx, "SELECT email FROM accounts WHERE id = 1").Scan(&email); err != nil || email != "ann@example.com" {
			t.Fatalf("the renamed column holds %q (%v), want the row's value", email, err)
		}
		got, want := oracleSchema(t, dialect, url, db), freshOracle(t, dialect, renameV2)
		if dialect == "sqlite" {
			got, want = sqliteNames(got), sqliteNames(want)
		}
		if got != want {
			t.Errorf("after the upgrade the database prints\n%s\nwhere the file makes\n%s", got, want)
		}
		// The annotations stay in the file and are done: no change.
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check after the renames: %v", err)
		}

		if _, err := m.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		var mail string
		if err := db.QueryRowContext(ctx, "SELECT mail FROM users WHERE id = 1").Scan(&mail); err != nil || mail != "ann@example.com" {
			t.Fatalf("after the downgrade the column holds %q (%v), want the row's value", mail, err)
		}
		if got := oracleSchema(t, dialect, url, db); unquoteSQLite(got) != unquoteSQLite(before) {
			t.Errorf("the downgrade left\n%s\nwant\n%s", got, before)
		}
	})
}

// TestSchemaFileRenamedFromErrors: an annotation naming what the
// database has under neither name is an error naming the file and line;
// one on a line that declares nothing is too.
func TestSchemaFileRenamedFromErrors(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		m, _, _, file, _ := openFileMigrator(t, dialect)
		writeFile(t, file, renameV1)
		if _, err := m.Autogenerate(ctx, "v1"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ text, want string }{
			{strings.NewReplacer("mail VARCHAR(100) NOT NULL,", "email VARCHAR(100) NOT NULL, -- strata:renamed_from nosuch", "(mail)", "(email)").Replace(renameV1),
				`schema.sql:4: strata:renamed_from nosuch: table "users" in the database has neither column "nosuch" nor "email"`},
			{strings.Replace(renameV1, "CONSTRAINT users_list FOREIGN", "CONSTRAINT users_fk FOREIGN", 1) + "-- strata:renamed_from nothing\n",
				"schema.sql:10: strata:renamed_from nothing: no SQL follows it"},
			{strings.Replace(renameV1, "CONSTRAINT list_positive CHECK (list_id > 0),", "CHECK (list_id > 0), -- strata:renamed_from list_positive", 1),
				"schema.sql:6: strata:renamed_from list_positive: the line declares an unnamed constraint"},
		} {
			writeFile(t, file, tc.text)
			_, err := m.Diff(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Diff: %v\nwant an error containing %q", err, tc.want)
			}
		}
	})
}

// TestConstraintRenameDetected: a check, a foreign key, a UNIQUE
// constraint and an index whose only change is their name are a change,
// made in place (or by SQLite's rebuild), and undone by the downgrade;
// the database then prints what a fresh database made from the file does.
func TestConstraintRenameDetected(t *testing.T) {
	const v1 = `CREATE TABLE lists (id INTEGER PRIMARY KEY);
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  code VARCHAR(20) NOT NULL,
  list_id INTEGER,
  CONSTRAINT items_code_uq UNIQUE (code),
  CONSTRAINT list_positive CHECK (list_id > 0),
  CONSTRAINT items_list FOREIGN KEY (list_id) REFERENCES lists (id)
);
CREATE INDEX items_list_ix ON items (list_id, code);
`
	v2 := strings.NewReplacer("items_code_uq", "items_code_unique", "list_positive", "list_over_zero",
		"items_list FOREIGN", "items_to_lists FOREIGN", "items_list_ix", "items_list_code_idx").Replace(v1)
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		m, url, _, file, db := openFileMigrator(t, dialect)
		writeFile(t, file, v1)
		if _, err := m.Autogenerate(ctx, "v1"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		before := oracleSchema(t, dialect, url, db)
		if _, err := db.ExecContext(ctx, "INSERT INTO lists (id) VALUES (3)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO items (id, code, list_id) VALUES (1, 'a', 3)"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, file, v2)
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ops := opStrings(plan)
		want := []string{
			`rename constraint "items_list" of "items" to "items_to_lists"`,
			`rename constraint "list_positive" of "items" to "list_over_zero"`,
			`rename constraint "items_list_ix" of "items" to "items_list_code_idx"`,
		}
		if dialect != "sqlite" {
			// SQLite's UNIQUE constraints carry no name.
			want = append(want, `rename constraint "items_code_uq" of "items" to "items_code_unique"`)
		}
		for _, w := range want {
			if !slices.Contains(ops, w) {
				t.Errorf("ops %q lack %q", ops, w)
			}
		}
		for _, o := range ops {
			if !strings.HasPrefix(o, "rename constraint") {
				t.Errorf("op %q: only renames were wanted", o)
			}
		}
		if _, err := m.WriteRevision(ctx, "renames", plan); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatalf("%v\nthe upgrade:\n%s", err, strings.Join(plan.Up, ";\n"))
		}
		got, fresh := oracleSchema(t, dialect, url, db), freshOracle(t, dialect, v2)
		if dialect == "sqlite" {
			got, fresh = sqliteNames(got), sqliteNames(fresh)
		}
		if got != fresh {
			t.Errorf("after the upgrade the database prints\n%s\nwhere the file makes\n%s", got, fresh)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check after the upgrade: %v", err)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM items WHERE code = 'a' AND list_id = 3").Scan(&n); err != nil || n != 1 {
			t.Fatalf("rows kept: %d (%v)", n, err)
		}
		if _, err := m.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		if got := oracleSchema(t, dialect, url, db); unquoteSQLite(got) != unquoteSQLite(before) {
			t.Errorf("the downgrade left\n%s\nwant\n%s", got, before)
		}
	})
}

// TestGeneratedNamesDoNotFlap: constraints the file leaves unnamed match
// whatever name the database gave them, numbered or not.
func TestGeneratedNamesDoNotFlap(t *testing.T) {
	file := map[string]string{
		"postgres": `CREATE TABLE lists (id INTEGER PRIMARY KEY);
CREATE TABLE items (id INTEGER PRIMARY KEY, list_id INTEGER CHECK (list_id > 0) REFERENCES lists (id), code TEXT UNIQUE);
`,
		"mysql": "CREATE TABLE lists (id INTEGER PRIMARY KEY);\nCREATE TABLE items (id INTEGER PRIMARY KEY, list_id INTEGER, CHECK (list_id > 0), FOREIGN KEY (list_id) REFERENCES lists (id));\n",
		"sqlite": `CREATE TABLE lists (id INTEGER PRIMARY KEY);
CREATE TABLE items (id INTEGER PRIMARY KEY, list_id INTEGER CHECK (list_id > 0) REFERENCES lists (id));
`,
	}
	// The database reaches the same constraints by another road, so that
	// its generated names carry other numbers.
	live := map[string][]string{
		"postgres": {
			"CREATE TABLE lists (id INTEGER PRIMARY KEY)",
			// The foreign key keeps the name it got under the table's old name.
			"CREATE TABLE things (id INTEGER PRIMARY KEY, list_id INTEGER REFERENCES lists (id), code TEXT, tmp INTEGER, CONSTRAINT items_list_id_check CHECK (list_id > 1), CONSTRAINT items_code_key UNIQUE (tmp))",
			"ALTER TABLE things RENAME TO items",
			// The check and the UNIQUE constraint get numbered names.
			"ALTER TABLE items ADD CHECK (list_id > 0)",
			"ALTER TABLE items DROP CONSTRAINT items_list_id_check",
			"ALTER TABLE items ADD UNIQUE (code)",
			"ALTER TABLE items DROP COLUMN tmp",
		},
		"mysql": {
			"CREATE TABLE lists (id INTEGER PRIMARY KEY)",
			"CREATE TABLE items (id INTEGER PRIMARY KEY, list_id INTEGER, CHECK (list_id > 1), FOREIGN KEY (list_id) REFERENCES lists (id))",
			"ALTER TABLE items ADD CHECK (list_id > 0)",
			"ALTER TABLE items ADD FOREIGN KEY (list_id) REFERENCES lists (id)",
		},
		"sqlite": {
			"CREATE TABLE lists (id INTEGER PRIMARY KEY)",
			"CREATE TABLE items (id INTEGER PRIMARY KEY, list_id INTEGER CHECK (list_id > 0) REFERENCES lists (id))",
		},
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		m, _, _, path, db := openFileMigrator(t, dialect)
		writeFile(t, path, file[dialect])
		for _, s := range live[dialect] {
			if _, err := db.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if dialect == "mysql" {
			// Drop the first of each, leaving the numbered ones.
			var fk, ck string
			if err := db.QueryRowContext(ctx, "SELECT MIN(CONSTRAINT_NAME) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND CONSTRAINT_TYPE = 'FOREIGN KEY'").Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, "SELECT MIN(CONSTRAINT_NAME) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND CONSTRAINT_TYPE = 'CHECK'").Scan(&ck); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"ALTER TABLE items DROP FOREIGN KEY `" + fk + "`", "ALTER TABLE items DROP CONSTRAINT `" + ck + "`"} {
				if _, err := db.ExecContext(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("generated names made a change: %v", err)
		}
	})
}

// TestSchemaFileRenamedColumnInCheck: a renamed column that a check names
// is one rename (each database rewrites the check itself), and the
// downgrade renames it back, check included.
func TestSchemaFileRenamedColumnInCheck(t *testing.T) {
	const v1 = "CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  mail VARCHAR(100) NOT NULL,\n  CONSTRAINT mail_present CHECK (mail <> '')\n);\n"
	const v2 = "CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  email VARCHAR(100) NOT NULL, -- strata:renamed_from mail\n  CONSTRAINT mail_present CHECK (email <> '')\n);\n"
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		m, url, _, file, db := openFileMigrator(t, dialect)
		writeFile(t, file, v1)
		if _, err := m.Autogenerate(ctx, "v1"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		before := oracleSchema(t, dialect, url, db)
		if _, err := db.ExecContext(ctx, "INSERT INTO users (id, mail) VALUES (1, 'x@example.com')"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, file, v2)
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(opStrings(plan), ", "), `rename column "users"."mail" to "email"`; got != want {
			t.Fatalf("ops %s, want %s", got, want)
		}
		if _, err := m.WriteRevision(ctx, "rename", plan); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check after the rename: %v", err)
		}
		if _, err := m.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		var mail string
		if err := db.QueryRowContext(ctx, "SELECT mail FROM users WHERE id = 1").Scan(&mail); err != nil || mail != "x@example.com" {
			t.Fatalf("after the downgrade: %q (%v)", mail, err)
		}
		if got := oracleSchema(t, dialect, url, db); unquoteSQLite(got) != unquoteSQLite(before) {
			t.Errorf("the downgrade left\n%s\nwant\n%s", got, before)
		}
	})
}
