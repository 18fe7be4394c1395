package strata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
)

func sqlRev(id, parents, deps, up, down string) string {
	var b strings.Builder
	b.WriteString("-- strata:revision " + id + "\n")
	if parents != "" {
		b.WriteString("-- strata:parents " + parents + "\n")
	}
	if deps != "" {
		b.WriteString("-- strata:depends-on " + deps + "\n")
	}
	b.WriteString("-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n")
	return b.String()
}

// TestDependsOnRuns: a revision that depends on another branch's
// revision gets it applied first on upgrade, even when the target is its
// own branch's head; a downgrade of the dependency undoes the dependent
// first. The dependent's foreign key would fail otherwise.
func TestDependsOnRuns(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		write(t, dir, "a1.sql", sqlRev("a1", "", "", "CREATE TABLE accounts (id INTEGER PRIMARY KEY);", "DROP TABLE accounts;"))
		write(t, dir, "b1.sql", "-- strata:revision b1\n-- strata:branch-labels billing\n-- migrate:up\nCREATE TABLE plans (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE plans;\n")
		write(t, dir, "b2.sql", sqlRev("b2", "b1", "a1",
			"CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id));",
			"DROP TABLE invoices;"))
		m := open(t, testdb.URL(t, dialect), dir)
		res, err := m.Upgrade(ctx, "billing@head")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range res {
			got = append(got, r.Revision.ID)
		}
		if !slices.Contains(got, "a1") || slices.Index(got, "a1") > slices.Index(got, "b2") {
			t.Fatalf("upgrade billing@head applied %v; want a1 before b2", got)
		}
		res, err = m.Downgrade(ctx, "base")
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for _, r := range res {
			got = append(got, r.Revision.ID)
		}
		if slices.Index(got, "b2") > slices.Index(got, "a1") {
			t.Fatalf("downgrade base undid %v; want b2 before a1", got)
		}
	})
}

// TestX: values given with WithX reach a Go migration through op.X, online
// and offline.
func TestX(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		mig := strata.Migration{
			Revision: "x1",
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				name, ok := op.X("table")
				if !ok {
					return errors.New("no -x table=…")
				}
				op.CreateTable(name, strata.Column("id", strata.BigInt).PrimaryKey())
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error {
				name, _ := op.X("table")
				op.DropTable(name)
				return nil
			},
		}
		dir := t.TempDir()
		url := testdb.URL(t, dialect)
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithMigrations(mig),
			strata.WithX(map[string]string{"table": "tenant_a"}))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		var script bytes.Buffer
		if err := m.UpgradeSQL(ctx, &script, "", "head"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(script.String(), "tenant_a") {
			t.Errorf("upgrade --sql does not create tenant_a:\n%s", script.String())
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		s, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Table("tenant_a"); !ok {
			t.Fatalf("the Go migration did not create tenant_a from -x table=tenant_a")
		}
		if _, err := m.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		// Without the value, the migration says so.
		m2, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithMigrations(mig))
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		if _, err := m2.Upgrade(ctx, "head"); err == nil || !strings.Contains(err.Error(), "no -x table") {
			t.Fatalf("upgrade without -x: %v", err)
		}
	})
}

// TestStampSQL: the offline stamp script, run by the database, records
// what Stamp would, and no revision's statements run.
func TestStampSQL(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		write(t, dir, "001.sql", sqlRev("001", "", "", "CREATE TABLE s1 (id INTEGER PRIMARY KEY);", "DROP TABLE s1;"))
		write(t, dir, "002.sql", sqlRev("002", "001", "", "CREATE TABLE s2 (id INTEGER PRIMARY KEY);", "DROP TABLE s2;"))
		m := open(t, testdb.URL(t, dialect), dir)
		run := func(from, to string) string {
			t.Helper()
			var b bytes.Buffer
			if err := m.StampSQL(ctx, &b, from, to); err != nil {
				t.Fatal(err)
			}
			stmts, err := revision.Split(b.String(), 1, revision.ForDialect(dialect))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range stmts {
				if _, err := m.DB().ExecContext(ctx, s.SQL); err != nil {
					t.Fatalf("%s: %v\nscript:\n%s", s.SQL, err, b.String())
				}
			}
			return b.String()
		}
		script := run("", "head")
		if strings.Contains(script, "CREATE TABLE s1") {
			t.Errorf("stamp --sql runs a revision:\n%s", script)
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Current) != 1 || st.Current[0].ID != "002" || len(st.Pending) != 0 {
			t.Fatalf("after the stamp script: current %v, pending %d; want 002, none", st.Current, len(st.Pending))
		}
		if s, _ := m.Inspect(ctx); s != nil {
			if _, ok := s.Table("s1"); ok {
				t.Fatal("the stamp script created s1")
			}
		}
		run("head", "001")
		if st, err = m.Status(ctx); err != nil || len(st.Current) != 1 || st.Current[0].ID != "001" {
			t.Fatalf("after stamping from head to 001: %v, %v", st, err)
		}
	})
}

// TestRevisionSpec: ids, heads, splices, branch labels, dependencies and
// version paths of new revisions, and their errors. Only files are
// involved, so SQLite serves.
func TestRevisionSpec(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(t.TempDir(), "extra")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	url := "sqlite:" + filepath.Join(t.TempDir(), "spec.db")
	m, err := strata.Open(context.Background(), url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithVersionPaths(other))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	newRev := func(spec strata.RevisionSpec) (*revision.Revision, error) {
		return m.NewRevisionWith("m", false, spec)
	}
	must := func(spec strata.RevisionSpec) *revision.Revision {
		t.Helper()
		r, err := newRev(spec)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	wantErr := func(spec strata.RevisionSpec, sub string) {
		t.Helper()
		_, err := newRev(spec)
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Fatalf("%+v: err = %v, want %q", spec, err, sub)
		}
	}
	a := must(strata.RevisionSpec{ID: "a"})
	if a.ID != "a" || len(a.Parents) != 0 {
		t.Fatalf("first revision %+v", a)
	}
	wantErr(strata.RevisionSpec{ID: "a"}, "revision id a is taken")
	wantErr(strata.RevisionSpec{ID: "A"}, "revision id A is taken by revision a")
	wantErr(strata.RevisionSpec{ID: "no-dash"}, "letters, digits and _ only")
	b := must(strata.RevisionSpec{ID: "b", BranchLabels: []string{"main"}})
	if !slices.Equal(b.Parents, []string{"a"}) || !slices.Equal(b.BranchLabels, []string{"main"}) {
		t.Fatalf("b: %+v", b)
	}
	wantErr(strata.RevisionSpec{ID: "c", BranchLabels: []string{"main"}}, "branch label main is already on revision b")
	wantErr(strata.RevisionSpec{ID: "c", Head: "a"}, "revision a is not a head")
	c := must(strata.RevisionSpec{ID: "c", Head: "a", Splice: true, BranchLabels: []string{"side"}})
	if !slices.Equal(c.Parents, []string{"a"}) {
		t.Fatalf("c: %+v", c)
	}
	// Two heads now: the default head is ambiguous; label@head names one.
	var mh *revision.MultipleHeadsError
	if _, err := newRev(strata.RevisionSpec{ID: "d"}); !errors.As(err, &mh) {
		t.Fatalf("a new revision over two heads: %v", err)
	}
	d := must(strata.RevisionSpec{ID: "d", Head: "side@head", DependsOn: []string{"main"}})
	if !slices.Equal(d.Parents, []string{"c"}) || !slices.Equal(d.DependsOn, []string{"b"}) {
		t.Fatalf("d: %+v", d)
	}
	root := must(strata.RevisionSpec{ID: "r", Head: "base", VersionPath: other})
	if len(root.Parents) != 0 || root.Dir != other {
		t.Fatalf("root: %+v", root)
	}
	if _, err := os.Stat(filepath.Join(other, "r_m.sql")); err != nil {
		t.Fatal(err)
	}
	wantErr(strata.RevisionSpec{ID: "e", VersionPath: t.TempDir()}, "is not a directory strata reads revisions from")
	// The graph reads both directories.
	g, err := m.Revisions()
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Heads(); !slices.Equal(got, []string{"b", "d", "r"}) {
		t.Fatalf("heads %v", got)
	}
	for _, ref := range []string{"r", "d"} {
		revs, err := m.Find(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		p, err := m.RevisionFile(revs[0])
		if err != nil || !strings.HasSuffix(p, ref+"_m.sql") {
			t.Fatalf("RevisionFile(%s) = %q, %v", ref, p, err)
		}
	}
	if revs, err := m.Find(context.Background(), "base"); err != nil || len(revs) != 2 {
		t.Fatalf("Find(base) = %v, %v; want a and r", revs, err)
	}
	if _, err := m.Find(context.Background(), "head"); !errors.As(err, &mh) {
		t.Fatalf("Find(head) over three heads: %v", err)
	}
}

// TestAutogenerateWithSpec: migrate's --head needs the database exactly
// at that revision; --rev-id and --branch-label name what it writes.
func TestAutogenerateWithSpec(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		write(t, dir, "a.sql", sqlRev("a", "", "", "CREATE TABLE other_things (id INTEGER PRIMARY KEY);", "DROP TABLE other_things;"))
		m := open(t, testdb.URL(t, dialect), dir, Todo{})
		_, err := m.WriteRevisionWith(ctx, "todos", nil, strata.RevisionSpec{Head: "a"})
		if err == nil || !strings.Contains(err.Error(), "the database is at base, not at a") {
			t.Fatalf("migrate --head a on an empty database: %v", err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		rev, err := m.WriteRevisionWith(ctx, "todos", nil, strata.RevisionSpec{Head: "a", ID: "todos1", BranchLabels: []string{"todo"}})
		if err != nil && !errors.Is(err, strata.ErrNoChanges) {
			t.Fatal(err)
		}
		if rev == nil || rev.ID != "todos1" || !slices.Equal(rev.Parents, []string{"a"}) || !slices.Equal(rev.BranchLabels, []string{"todo"}) {
			t.Fatalf("rev %+v", rev)
		}
		if _, err := m.Upgrade(ctx, "todo@head"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRevisionFileOfGo: edit finds a Go migration's file by its id, in
// the migrations directory, and names a revision without one.
func TestRevisionFileOfGo(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "g1_add_things.go", "package migrations\n\n// Revision: \"g1\"\n")
	write(t, dir, "g10_other.go", "package migrations\n\n// Revision: \"g10\"\n")
	// Named for what it does, not by its id: found by its declaration.
	write(t, dir, "add_notes.go", "package migrations\n\nimport \"github.com/strata-go/strata\"\n\nvar m = strata.Migration{Revision: \"g3\", Parents: []string{\"g2\"}}\n")
	noop := func(context.Context, *strata.Op) error { return nil }
	m, err := strata.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "g.db"), strata.WithDir(dir), strata.WithoutGlobalRegistry(),
		strata.WithMigrations(strata.Migration{Revision: "g1", Upgrade: noop}, strata.Migration{Revision: "g10", Parents: []string{"g1"}, Upgrade: noop},
			strata.Migration{Revision: "g2", Parents: []string{"g10"}, Upgrade: noop}, strata.Migration{Revision: "g3", Parents: []string{"g2"}, Upgrade: noop}))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	g, err := m.Revisions()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"g1": "g1_add_things.go", "g10": "g10_other.go", "g3": "add_notes.go"} {
		r, _ := g.Get(id)
		p, err := m.RevisionFile(r)
		if err != nil || filepath.Base(p) != want {
			t.Errorf("RevisionFile(%s) = %q, %v; want %s", id, p, err, want)
		}
	}
	r, _ := g.Get("g2")
	if _, err := m.RevisionFile(r); err == nil || !strings.Contains(err.Error(), "g2") {
		t.Errorf("RevisionFile(g2) without a file: %v", err)
	}
}
