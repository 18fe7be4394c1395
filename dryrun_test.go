package strata_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// dryRunBase is a table with a generated column and a view over it,
// holding rows: what a dry run has to carry over where it runs on a copy.
const dryRunBase = "-- strata:revision 001\n-- migrate:up\n" +
	"CREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, spare VARCHAR(10), nick VARCHAR(20), age INTEGER,\n" +
	"  name_len INTEGER GENERATED ALWAYS AS (length(name)) STORED);\n" +
	"INSERT INTO people (id, name, nick, age) VALUES (1, 'ann', 'a', 30), (2, 'bob', NULL, 40);\n" +
	"CREATE VIEW named AS SELECT id, name FROM people;\n" +
	"-- migrate:down\nDROP VIEW named;\nDROP TABLE people;\n"

// dryRunHarmless creates, alters and drops (an empty column before ones
// holding values), migrates data and replaces the view: nothing is lost.
// Its downgrade drops a table and a column holding values.
const dryRunHarmless = "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\n" +
	"CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(30));\n" +
	"INSERT INTO tags (id, label) SELECT id, name FROM people;\n" +
	"ALTER TABLE people ADD COLUMN score INTEGER;\n" +
	"UPDATE people SET score = age * 2;\n" +
	"ALTER TABLE people DROP COLUMN spare;\n" +
	"CREATE INDEX ix_people_name ON people (name);\n" +
	"DROP VIEW named;\n" +
	"CREATE VIEW named AS SELECT id, name, score FROM people;\n" +
	"-- migrate:down\n" +
	"DROP VIEW named;\n" +
	"CREATE VIEW named AS SELECT id, name FROM people;\n" +
	"ALTER TABLE people ADD COLUMN spare VARCHAR(10);\n" +
	"ALTER TABLE people DROP COLUMN score;\n" +
	"DROP TABLE tags;\n"

// dropNick is a Go revision that drops a column holding a value: on MySQL
// the guard predicts it only once it renders, in its turn.
var dropNick = strata.Migration{Revision: "003", Parents: []string{"002"}, Message: "drop nick",
	Upgrade: func(ctx context.Context, op *strata.Op) error {
		op.DropColumn("people", "nick")
		return nil
	},
	Downgrade: func(ctx context.Context, op *strata.Op) error {
		op.AddColumn("people", strata.Column("nick", strata.Varchar(20)).Null())
		return nil
	}}

// TestDryRunMatchesRealRun: a dry run reports what the real run does. A
// plan the data-loss guard refuses is refused by its dry run with the
// same losses (table, column, rows, example), naming the revisions the
// real run applies before the guard stops it; a harmless plan (DDL, a
// data migration, a view replaced, an empty column dropped before columns
// holding values) rehearses without failure and then runs. The database,
// as seen by queries of the catalog and of every row, is the same after
// each dry run. On every dialect: on MySQL the dry run runs on a copy,
// which must carry the generated column and the view.
func TestDryRunMatchesRealRun(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", dryRunBase)
		write(t, dir, "002.sql", dryRunHarmless)
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(dropNick), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		before := dump(t, dialect, m.DB())
		unchanged := func(what string) {
			t.Helper()
			if after := dump(t, dialect, m.DB()); after != before {
				t.Fatalf("%s changed the database:\nbefore:\n%s\nafter:\n%s", what, before, after)
			}
		}

		// Harmless: the dry run succeeds, and so does the real run.
		reh, err := m.Rehearse(ctx, runner.Up, "002")
		if err != nil {
			t.Fatal(err)
		}
		if !reh.Rehearsed || reh.Err != nil {
			t.Fatalf("dry run of a harmless revision: rehearsed %t (%s), err %v", reh.Rehearsed, reh.Reason, reh.Err)
		}
		unchanged("the dry run of 002")

		// Refused: 002 passes, the Go revision 003 drops nick's value.
		reh, err = m.Rehearse(ctx, runner.Up, "head")
		if err != nil {
			t.Fatal(err)
		}
		dry := dataLoss(t, "dry run to head", reh.Err)
		if !dry.DryRun || strings.Contains(reh.Err.Error(), "stay applied:") {
			t.Fatalf("a dry run's refusal reads as a real run's: %v", reh.Err)
		}
		unchanged("the refused dry run to head")
		_, err = m.Upgrade(ctx, "head")
		real := dataLoss(t, "upgrade to head", err)
		sameRefusal(t, dry, real)
		if ids(real.Applied) != "002" {
			t.Fatalf("the real run applied %q before the guard, want 002", ids(real.Applied))
		}

		// Downgrade of 002 drops tags and score, both holding values.
		before = dump(t, dialect, m.DB())
		reh, err = m.Rehearse(ctx, runner.Down, "001")
		if err != nil {
			t.Fatal(err)
		}
		dry = dataLoss(t, "dry run of the downgrade", reh.Err)
		unchanged("the refused dry run of the downgrade")
		if len(dry.Losses) != 2 {
			t.Fatalf("the downgrade's dry run reports %d losses, want score and tags: %v", len(dry.Losses), reh.Err)
		}
		_, err = m.Downgrade(ctx, "001")
		sameRefusal(t, dry, dataLoss(t, "downgrade", err))
		unchanged("the refused downgrade")
	})
}

func dataLoss(t *testing.T, what string, err error) *runner.DataLossError {
	t.Helper()
	var dl *runner.DataLossError
	if !errors.As(err, &dl) {
		t.Fatalf("%s: want the data-loss guard to refuse, got %v", what, err)
	}
	return dl
}

// sameRefusal fails unless dry and real name the same losses and the same
// revisions applied before the guard stopped the run.
func sameRefusal(t *testing.T, dry, real *runner.DataLossError) {
	t.Helper()
	losses := func(e *runner.DataLossError) []string {
		var out []string
		for _, l := range e.Losses {
			out = append(out, fmt.Sprintf("%s %s.%s %d %q %q", l.Revision.ID, l.Table, l.Column, l.Rows, l.Change, l.Example))
		}
		slices.Sort(out)
		return out
	}
	if d, r := losses(dry), losses(real); !slices.Equal(d, r) {
		t.Fatalf("the dry run reports losses\n  %s\nthe real run\n  %s", strings.Join(d, "\n  "), strings.Join(r, "\n  "))
	}
	if ids(dry.Applied) != ids(real.Applied) {
		t.Fatalf("the dry run says the real run applies %q first; it applied %q", ids(dry.Applied), ids(real.Applied))
	}
}

func ids(rs []runner.Result) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Revision.ID)
	}
	return strings.Join(out, ",")
}

// TestDryRunFailureMatchesRealRun: a dry run that fails names the
// revisions the real run completes before the same failure, and says
// what the real run would leave, not what the rehearsal did.
func TestDryRunFailureMatchesRealRun(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20));\n"+
			"INSERT INTO people (id, name) VALUES (1, 'ann');\n-- migrate:down\nDROP TABLE people;\n")
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE pets (id INTEGER NOT NULL PRIMARY KEY);\n-- migrate:down\nDROP TABLE pets;\n")
		write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 002\n-- migrate:up\nINSERT INTO people (id, name) VALUES (2, 'bob');\n"+
			"INSERT INTO people (id, name) VALUES (1, 'dup');\n-- migrate:down\nDELETE FROM people WHERE id = 2;\n")
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		before := dump(t, dialect, m.DB())
		reh, err := m.Rehearse(ctx, runner.Up, "head")
		if err != nil {
			t.Fatal(err)
		}
		var dry, real *runner.PartialError
		if !errors.As(reh.Err, &dry) || !dry.DryRun || dry.Failed.ID != "003" {
			t.Fatalf("dry run: want a failure of 003, got %v", reh.Err)
		}
		if strings.Contains(reh.Err.Error(), "strata repair") || !strings.Contains(reh.Err.Error(), "The real run would stop here, after completing 002") {
			t.Fatalf("the dry run's failure does not say what the real run leaves: %v", reh.Err)
		}
		if after := dump(t, dialect, m.DB()); after != before {
			t.Fatalf("the dry run changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		_, err = m.Upgrade(ctx, "head")
		if !errors.As(err, &real) {
			t.Fatalf("real run: want a failure, got %v", err)
		}
		if ids(dry.Applied) != ids(real.Applied) || dry.Failed.ID != real.Failed.ID || dry.Statement.Line != real.Statement.Line {
			t.Fatalf("the dry run says the real run completes %q and fails at %s; it completed %q and failed at %s",
				ids(dry.Applied), dry.Failed.Where(dry.Statement), ids(real.Applied), real.Failed.Where(real.Statement))
		}
	})
}

// TestDryRunCopyNeverWritesTheDatabase: where the dry run runs on a copy
// (MySQL), a statement that names the database itself (mydb.people)
// would act on the database, not the copy: the dry run refuses it and
// the rows stay as they were. MySQL only: elsewhere the dry run runs in
// the database's own transaction and rolls back.
func TestDryRunCopyNeverWritesTheDatabase(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	dir := t.TempDir()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY, age INTEGER);\n"+
		"INSERT INTO people (id, age) VALUES (1, 30);\n-- migrate:down\nDROP TABLE people;\n")
	m := open(t, url, dir)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	var db string
	if err := m.DB().QueryRowContext(ctx, "SELECT DATABASE()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	before := dump(t, "mysql", m.DB())
	write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nUPDATE `"+db+"`.people SET age = 99;\n-- migrate:down\nSELECT 1;\n")
	m = open(t, url, dir)
	if _, err := m.Rehearse(ctx, runner.Up, "head"); err == nil || !strings.Contains(err.Error(), "names the database "+db) {
		t.Fatalf("dry run of a statement naming the database: %v", err)
	}
	if after := dump(t, "mysql", m.DB()); after != before {
		t.Fatalf("the dry run changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestDryRunRelatedRows: a plan that names only a child table (a row
// inserted under an existing parent) or only a parent (a row deleted that
// children reference) rehearses as it runs: where the dry run runs on a
// copy (MySQL), the rows of the tables related by foreign keys come too.
func TestDryRunRelatedRows(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE owners (id INTEGER NOT NULL PRIMARY KEY);\n"+
			"CREATE TABLE pets (id INTEGER NOT NULL PRIMARY KEY, owner_id INTEGER NOT NULL, FOREIGN KEY (owner_id) REFERENCES owners (id));\n"+
			"INSERT INTO owners (id) VALUES (1), (2);\nINSERT INTO pets (id, owner_id) VALUES (1, 1);\n-- migrate:down\nDROP TABLE pets;\nDROP TABLE owners;\n")
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nINSERT INTO pets (id, owner_id) VALUES (2, 2);\n-- migrate:down\nSELECT 1;\n")
		write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 002\n-- migrate:up\nDELETE FROM owners WHERE id = 1;\n-- migrate:down\nSELECT 1;\n")
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		for _, target := range []string{"002", "003"} {
			before := dump(t, dialect, m.DB())
			reh, err := m.Rehearse(ctx, runner.Up, target)
			if err != nil {
				t.Fatal(err)
			}
			if after := dump(t, dialect, m.DB()); after != before {
				t.Fatalf("the dry run to %s changed the database", target)
			}
			_, real := m.Upgrade(ctx, target)
			if (reh.Err == nil) != (real == nil) {
				t.Fatalf("to %s: the dry run found %v; the real run %v", target, reh.Err, real)
			}
			if target == "002" && real != nil {
				t.Fatalf("inserting under an existing parent: %v", real)
			}
		}
	})
}

// TestDryRunTransactionStatement: a revision that ends its transaction
// itself (COMMIT half-way) would make a dry run in a transaction keep
// what ran before it. The dry run stops before it, says why, and the
// database, its version table included, is as it was. On MySQL the dry
// run runs on a copy, where the statement changes nothing of the database.
func TestDryRunTransactionStatement(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY);\n-- migrate:down\nDROP TABLE people;\n")
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nINSERT INTO people (id) VALUES (1);\nCOMMIT;\n"+
			"INSERT INTO people (id) VALUES (2);\n-- migrate:down\nDELETE FROM people;\n")
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		before := dump(t, dialect, m.DB())
		reh, err := m.Rehearse(ctx, runner.Up, "head")
		if err != nil {
			t.Fatal(err)
		}
		if after := dump(t, dialect, m.DB()); after != before {
			t.Fatalf("the dry run changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		if m.Dialect().Capabilities().TransactionalDDL && (reh.Err == nil || !strings.Contains(reh.Err.Error(), "ends the transaction")) {
			t.Fatalf("the dry run ran past COMMIT: %v", reh.Err)
		}
	})
}
