package strata_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/lint"
)

// TestLintPending lints pending revisions against the live schema on each
// database: the narrowing needs the column's current type to be seen.
func TestLintPending(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", baseRevision)
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		narrow := map[string]string{
			"sqlite":   "ALTER TABLE todos DROP COLUMN description",
			"postgres": "ALTER TABLE todos ALTER COLUMN description TYPE varchar(20)",
			"mysql":    "ALTER TABLE todos MODIFY COLUMN description VARCHAR(20) NOT NULL",
		}[dialect]
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- strata:lint-ignore SL001 retired\n-- migrate:up\n"+narrow+";\nDROP TABLE todos;\n-- migrate:down\nSELECT 1;\n")
		m = open(t, url, dir)
		findings, err := m.Lint(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, f := range lint.Active(findings) {
			rules = append(rules, f.Rule)
		}
		want := map[string]string{"sqlite": "SL002", "postgres": "SL003 PG104", "mysql": "SL003 MY201"}[dialect]
		if strings.Join(rules, " ") != want {
			t.Fatalf("active findings %v, want %s (all: %v)", rules, want, findings)
		}
		if len(findings) != len(rules)+1 || findings[len(findings)-1].Ignored != "retired" {
			t.Fatalf("the ignored SL001 is missing: %v", findings)
		}
		all, err := m.Lint(ctx, true)
		if err != nil || len(all) == 0 {
			t.Fatalf("lint --all: %v, %v", all, err)
		}
	})
}

// TestUpgradeReportsLint: with WithLintReport, Upgrade lints what it is
// about to apply, against the live schema, and reports the active
// findings before it runs them; a target that applies nothing reports
// nothing.
func TestUpgradeReportsLint(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", baseRevision)
		narrow := map[string]string{
			"sqlite":   "ALTER TABLE todos DROP COLUMN description",
			"postgres": "ALTER TABLE todos ALTER COLUMN description TYPE varchar(20)",
			"mysql":    "ALTER TABLE todos MODIFY COLUMN description VARCHAR(20) NOT NULL",
		}[dialect]
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\n"+narrow+";\n-- migrate:down\nSELECT 1;\n")
		var rules []string
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithForce(),
			strata.WithLintReport(func(f lint.Finding) { rules = append(rules, f.Rule) }))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		if len(rules) != 0 {
			t.Fatalf("creating a table reported %v", rules)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"sqlite": "SL002", "postgres": "SL003 PG104", "mysql": "SL003 MY201"}[dialect]
		if strings.Join(rules, " ") != want {
			t.Fatalf("reported %v, want %s", rules, want)
		}
		rules = nil
		if _, err := m.Upgrade(ctx, "head"); err != nil || len(rules) != 0 {
			t.Fatalf("an upgrade with nothing to apply: %v, reported %v", err, rules)
		}
	})
}
