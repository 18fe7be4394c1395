package strata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/schema"
)

// unmanagedObject is, per dialect, a statement making an object strata
// does not model, and how strata names it.
func unmanagedObject(dialect string) (stmt string, u schema.Unmanaged) {
	switch dialect {
	case "postgres":
		return `CREATE AGGREGATE total(integer) (sfunc = int4pl, stype = integer)`, schema.Unmanaged{Kind: "aggregate", Name: "total(integer)"}
	case "mysql":
		return `CREATE SEQUENCE cleanup`, schema.Unmanaged{Kind: "sequence", Name: "cleanup"}
	}
	return `CREATE VIRTUAL TABLE docs USING fts5(body)`, schema.Unmanaged{Kind: "virtual table", Name: "docs"}
}

// TestUnmanagedNamed: an object strata does not model is never hidden
// behind "no differences". Inspect records it, Diff and CheckPlan name
// it in the plan's Unmanaged notes (Check still passes: nothing it
// compares differs), WriteSchema writes it as comments and JSON, and a
// schema file declaring one is named too.
func TestUnmanagedNamed(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, crateLog{})
		if _, err := m.Autogenerate(ctx, "logs"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		plan, err := m.CheckPlan(ctx)
		if err != nil || len(plan.Unmanaged) != 0 {
			t.Fatalf("before: CheckPlan = %v, %v; want no notes", plan, err)
		}
		stmt, want := unmanagedObject(dialect)
		if _, err := m.DB().ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}

		s, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(s.Unmanaged, want) {
			t.Fatalf("Inspect: Unmanaged %v, want %v among them", s.Unmanaged, want)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("Check: %v (what it compares matches)", err)
		}
		plan, err = m.CheckPlan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		note := "strata does not manage " + want.String() + " (in the database)"
		if !slices.ContainsFunc(plan.Unmanaged, func(n string) bool { return strings.HasPrefix(n, note) }) {
			t.Errorf("CheckPlan: Unmanaged %q, want one starting %q", plan.Unmanaged, note)
		}
		if len(plan.Ops) != 0 {
			t.Errorf("CheckPlan: ops %v, want none", plan.Ops)
		}

		var sqlOut bytes.Buffer
		if err := m.WriteSchema(ctx, &sqlOut, "sql"); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sqlOut.String(), "-- strata does not manage ") || !strings.Contains(sqlOut.String(), want.String()) {
			t.Errorf("WriteSchema sql does not name %s first:\n%s", want, sqlOut.String())
		}
		var jsonOut bytes.Buffer
		if err := m.WriteSchema(ctx, &jsonOut, "json"); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Unmanaged []schema.Unmanaged `json:"unmanaged"`
			Warnings  []string           `json:"warnings"`
		}
		if err := json.Unmarshal(jsonOut.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(doc.Unmanaged, want) || len(doc.Warnings) != len(doc.Unmanaged) {
			t.Errorf("WriteSchema json: unmanaged %v, warnings %q; want %v", doc.Unmanaged, doc.Warnings, want)
		}

		// A schema file that declares it (and a difference beside it): the
		// DiffError carries the notes.
		file := filepath.Join(t.TempDir(), "schema.sql")
		ddl := "CREATE TABLE crate_logs (id BIGINT PRIMARY KEY, what VARCHAR(100) NOT NULL, extra INTEGER);\n" + stmt + ";\n"
		if err := os.WriteFile(file, []byte(ddl), 0o644); err != nil {
			t.Fatal(err)
		}
		mf, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithSchemaFile(file))
		if err != nil {
			t.Fatal(err)
		}
		defer mf.Close()
		_, err = mf.CheckPlan(ctx)
		var de *strata.DiffError
		if !errors.As(err, &de) {
			t.Fatalf("CheckPlan with the file: %v, want a *DiffError", err)
		}
		note = "strata does not manage " + want.String() + " (in the database and in " + file + ")"
		if !slices.ContainsFunc(de.Unmanaged, func(n string) bool { return strings.HasPrefix(n, note) }) {
			t.Errorf("DiffError.Unmanaged %q, want one starting %q", de.Unmanaged, note)
		}
	})
}
