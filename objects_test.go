package strata_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/schema"
)

type crateV1 struct {
	ID        int64     `db:"id" strata:"pk"`
	Name      string    `db:"name" strata:"size:100"`
	UpdatedAt time.Time `db:"updated_at"`
}

func (crateV1) TableName() string { return "crates" }

type crateLog struct {
	ID   int64  `db:"id" strata:"pk"`
	What string `db:"what" strata:"size:100"`
}

func (crateLog) TableName() string { return "crate_logs" }

type crateV2 struct {
	ID        int64     `db:"id" strata:"pk"`
	Name      string    `db:"name" strata:"size:100"`
	ChangedAt time.Time `db:"changed_at" strata:"renamed_from:updated_at"`
	Version   string    `db:"version" strata:"size:20,null"`
}

func (crateV2) TableName() string { return "crates" }

// handMade are objects a project keeps in hand-written migrations, which
// the models cannot describe: triggers on both tables, and on PostgreSQL
// a function and an extension (MySQL's routines are not in the model).
func handMade(dialect string) []string {
	if dialect == "postgres" {
		return []string{
			`CREATE EXTENSION pg_trgm`,
			`CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$`,
			`CREATE TRIGGER crates_touch BEFORE UPDATE OF updated_at, name ON crates FOR EACH ROW EXECUTE FUNCTION touch()`,
			`CREATE TRIGGER logs_touch BEFORE INSERT ON crate_logs FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
		}
	}
	if dialect == "mysql" {
		return []string{
			"CREATE TRIGGER crates_touch BEFORE UPDATE ON crates FOR EACH ROW BEGIN IF NEW.updated_at IS NULL THEN SET NEW.updated_at = OLD.updated_at; END IF; END",
			"CREATE TRIGGER logs_touch BEFORE INSERT ON crate_logs FOR EACH ROW SET @logged = 1",
		}
	}
	return []string{
		`CREATE TRIGGER crates_touch AFTER UPDATE OF updated_at, name ON crates BEGIN UPDATE crates SET name = NEW.name WHERE id = NEW.id AND updated_at IS NULL; END`,
		`CREATE TRIGGER logs_touch AFTER INSERT ON crate_logs BEGIN SELECT 1; END`,
	}
}

// objectNames lists the extensions, functions and triggers of s.
func objectNames(s *schema.Schema) string {
	var out []string
	for _, e := range s.Extensions {
		out = append(out, "extension "+e.Name)
	}
	for _, f := range s.Functions {
		out = append(out, f.Key())
	}
	for _, t := range s.Tables {
		for _, tr := range t.Triggers {
			out = append(out, "trigger "+tr.Name+" on "+t.Name)
		}
	}
	return strings.Join(out, ", ")
}

// TestModelsLeaveObjectsAlone: the models cannot describe extensions,
// functions or triggers, so autogenerate from models keeps the
// database's own, follows renames with them, and drops a trigger only
// with its table; the downgrade gives the table back with its trigger.
func TestModelsLeaveObjectsAlone(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m1 := open(t, url, dir, crateV1{}, crateLog{})
		if _, err := m1.Autogenerate(ctx, "crates"); err != nil {
			t.Fatal(err)
		}
		if _, err := m1.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		for _, s := range handMade(dialect) {
			if _, err := m1.DB().ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if err := m1.Check(ctx); err != nil {
			t.Fatalf("the models say nothing of the hand-made objects, so nothing differs: %v", err)
		}
		withLogs, err := m1.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantObjects := "trigger logs_touch on crate_logs, trigger crates_touch on crates"
		if dialect == "postgres" {
			wantObjects = "extension pg_trgm, function touch(), " + wantObjects
		}
		if got := objectNames(withLogs); got != wantObjects {
			t.Fatalf("inspected objects %q, want %q", got, wantObjects)
		}

		m2 := open(t, url, dir, crateV2{})
		plan, err := m2.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, o := range plan.Ops {
			ops = append(ops, o.String())
		}
		want := `rename column "crates"."updated_at" to "changed_at", drop table "crate_logs", add column "crates"."version"`
		if got := strings.Join(ops, ", "); got != want {
			t.Fatalf("ops %q,\nwant %q: no op on the extension, function or triggers", got, want)
		}
		if _, err := m2.WriteRevision(ctx, "v2", plan); err != nil {
			t.Fatal(err)
		}
		if _, err := m2.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatalf("after the upgrade: %v", err)
		}
		after, err := m2.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantObjects = "trigger crates_touch on crates"
		if dialect == "postgres" {
			wantObjects = "extension pg_trgm, function touch(), " + wantObjects
		}
		if got := objectNames(after); got != wantObjects {
			t.Fatalf("objects after the upgrade %q, want %q", got, wantObjects)
		}
		if tr := after.Tables[0].Triggers[0]; !strings.Contains(tr.Def, "changed_at") {
			t.Errorf("the trigger after the rename: %s", tr.Def)
		}
		if _, err := m2.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		restored, err := m2.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(withLogs, restored); d != "" {
			t.Fatalf("the downgrade did not restore the schema, triggers included:\n%s", d)
		}
	})
}

// TestSchemaFileManagesObjects: a schema file describes extensions,
// functions and triggers, so autogenerate creates and drops them, and the
// downgrade restores them.
func TestSchemaFileManagesObjects(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		file := filepath.Join(t.TempDir(), "schema.sql")
		tables := "CREATE TABLE crates (id INTEGER PRIMARY KEY, name VARCHAR(100), updated_at TIMESTAMP);\n"
		// Everything of handMade but the trigger on crate_logs.
		objects := handMade(dialect)
		objects = objects[:len(objects)-1]
		text := tables + strings.Join(objects, ";\n") + ";\n"
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithSchemaFile(file))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Autogenerate(ctx, "from file"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check after upgrade: %v", err)
		}
		full, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantObjects := "trigger crates_touch on crates"
		if dialect == "postgres" {
			wantObjects = "extension pg_trgm, function touch(), " + wantObjects
		}
		if got := objectNames(full); got != wantObjects {
			t.Fatalf("objects %q, want %q", got, wantObjects)
		}

		// The file without them: they are dropped.
		if err := os.WriteFile(file, []byte(tables), 0o644); err != nil {
			t.Fatal(err)
		}
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, o := range plan.Ops {
			ops = append(ops, o.String())
		}
		want := `drop trigger "crates_touch" on "crates"`
		if dialect == "postgres" {
			want += `, drop function "touch"(), drop extension "pg_trgm"`
		}
		if got := strings.Join(ops, ", "); got != want {
			t.Fatalf("ops %q, want %q", got, want)
		}
		if _, err := m.WriteRevision(ctx, "drop them", plan); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check after dropping them: %v", err)
		}
		if _, err := m.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		restored, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(full, restored); d != "" {
			t.Fatalf("the downgrade did not restore them:\n%s", d)
		}
	})
}

// TestGoRevisionKeepsTriggers: a Go revision that drops a table with a
// trigger gives the trigger back in its downgrade, as the dialect's SQL,
// since the op API cannot say triggers.
func TestGoRevisionKeepsTriggers(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := filepath.Join(t.TempDir(), "migrations") // the Go package's name
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		m1 := open(t, url, dir, crateV1{}, crateLog{})
		if _, err := m1.Autogenerate(ctx, "crates"); err != nil {
			t.Fatal(err)
		}
		if _, err := m1.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		logsTrigger := handMade(dialect)[len(handMade(dialect))-1]
		if _, err := m1.DB().ExecContext(ctx, logsTrigger); err != nil {
			t.Fatal(err)
		}
		m2, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(crateV1{}), strata.WithFormat("go"))
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		rev, err := m2.Autogenerate(ctx, "no logs")
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(filepath.Join(dir, rev.Path))
		if err != nil {
			t.Fatal(err)
		}
		_, down, _ := strings.Cut(string(src), "Downgrade:")
		if !strings.Contains(down, "CREATE TRIGGER") || !strings.Contains(down, "logs_touch") || strings.Contains(down, "op.CreateTable(") {
			t.Fatalf("the downgrade does not make the trigger again:\n%s", down)
		}
	})
}
