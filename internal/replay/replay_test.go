package replay

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAutheliaSQLite replays authelia's SQLite history when the corpus is
// present. It checks that the harness runs and reports, not a pass rate.
func TestAutheliaSQLite(t *testing.T) {
	dir := os.Getenv("STRATA_REPLAY_HISTORIES")
	if dir == "" {
		dir = DefaultDir()
	}
	if dir == "" {
		t.Skip("no module root found, so no ../shared/corpora/histories to read (set STRATA_REPLAY_HISTORIES)")
	}
	h, err := Load(dir, "authelia", "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	if h == nil {
		t.Skipf("corpus not present: no authelia/sqlite history under %s", dir)
	}
	if testing.Short() {
		t.Skip("replays 26 steps; skipped with -short")
	}
	r := &Runner{Dialect: "sqlite", Inverse: true, TempDir: t.TempDir()}
	sum, err := r.Run(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Steps) != len(h.Steps) || len(h.Steps) == 0 {
		t.Fatalf("got %d step results for %d steps", len(sum.Steps), len(h.Steps))
	}
	for i, s := range sum.Steps {
		if s.Stage == StageDifferences && s.Cause == "" {
			t.Errorf("step %s: the oracle's difference has no cause", s.Step.Name)
		}
		if s.Levels == nil && s.Stage == StageDifferences {
			t.Errorf("step %s: no verdict per level of comparing SQLite's text", s.Step.Name)
		}
		if s.Step.Name != h.Steps[i].Name {
			t.Errorf("step %d is %s, want %s", i, s.Step.Name, h.Steps[i].Name)
		}
		if !s.OK && (s.Stage == "" || s.Message == "") {
			t.Errorf("step %s failed without a stage and message: %+v", s.Step.Name, s)
		}
		if s.InverseTested && !s.InverseOK && s.InverseStage == "" {
			t.Errorf("step %s: downgrade failed without a stage", s.Step.Name)
		}
	}
	if !strings.HasPrefix(h.Steps[0].Name, "V0001.") {
		t.Errorf("first step %s, want V0001.…", h.Steps[0].Name)
	}
	line := sum.Line()
	if !strings.HasPrefix(line, "authelia sqlite: ") || !strings.Contains(line, "steps passed") {
		t.Errorf("Line() = %q", line)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, []*Summary{sum}, ReportOptions{Command: "go run ./internal/replay/cmd/replay"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{Heading, "| authelia | sqlite |", "### authelia on sqlite"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	t.Log(line)
}

func TestLoadOrders(t *testing.T) {
	dir := t.TempDir()
	write := func(path string) {
		t.Helper()
		path = filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("SELECT 1;"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Diesel: dashed timestamps sort by their digits, among undashed ones.
	for _, d := range []string{"20170102131034_b", "2017-10-08-193512_d", "2017-01-01-000000_a", "20170304182614_c", "00000000000000_setup"} {
		write("proj/migrations/" + d + "/up.sql")
	}
	write("proj/migrations/20170102131034_b/down.sql")
	write("proj/migrations/README.md")
	// Flyway: by version number.
	for _, f := range []string{"V10.ten.up.sql", "V2.two.up.sql", "V0001.one.up.sql", "V0001.one.down.sql"} {
		write("fly/sqlite/" + f)
	}
	hs, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		var names []string
		for _, s := range h.Steps {
			names = append(names, s.Name)
		}
		got = append(got, h.Name+" "+h.Dialect+": "+strings.Join(names, " "))
	}
	want := []string{
		"fly sqlite: V0001.one V2.two V10.ten",
		"proj postgres: 00000000000000_setup 2017-01-01-000000_a 20170102131034_b 20170304182614_c 2017-10-08-193512_d",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Find:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if hs[0].Steps[0].Down == "" || hs[0].Steps[1].Down != "" || hs[1].Steps[2].Down == "" {
		t.Errorf("down files not found where they exist: %+v %+v", hs[0].Steps, hs[1].Steps)
	}
}

func TestKind(t *testing.T) {
	r := &StepResult{Stage: StageDiff, Message: `diff: table "a": changing the primary key is not supported yet; table "b": changing the primary key is not supported yet`}
	if got, want := Kind(r), `diff: table …: changing the primary key is not supported yet`; got != want {
		t.Errorf("Kind = %q, want %q", got, want)
	}
	r = &StepResult{Stage: StageApply, Message: `ERROR: function canon_crate_name(text) does not exist (SQLSTATE 42883)`}
	if got, want := Kind(r), `apply: ERROR: function …(…) does not exist (SQLSTATE 42883)`; got != want {
		t.Errorf("Kind = %q, want %q", got, want)
	}
	r = &StepResult{Stage: StageApply, Message: `ERROR: relation "u2f_devices_pkey" already exists (SQLSTATE 42P07)`}
	if got, want := Kind(r), `apply: ERROR: relation … already exists (SQLSTATE 42P07)`; got != want {
		t.Errorf("Kind = %q, want %q", got, want)
	}
}

func TestReplaceSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.md")
	if err := os.WriteFile(path, []byte("# Conformance\n\n## Other\n\ntext\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceSection(path, Heading+"\n\nfirst\n"); err != nil {
		t.Fatal(err)
	}
	// Someone else adds a section after ours; replacing ours keeps it.
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(data, "\n## Later\n\nmore\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceSection(path, Heading+"\n\nsecond\n"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	want := "# Conformance\n\n## Other\n\ntext\n\n" + Heading + "\n\nsecond\n\n## Later\n\nmore\n"
	if string(data) != want {
		t.Errorf("got:\n%q\nwant:\n%q", data, want)
	}
	// A hand-written Causes subsection survives a rewrite.
	text := strings.Replace(string(data), "second\n", "second\n\n"+CausesHeading+"\n\nwhy\n", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceSection(path, Heading+"\n\nthird\n"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	want = "# Conformance\n\n## Other\n\ntext\n\n" + Heading + "\n\nthird\n\n" + CausesHeading + "\n\nwhy\n\n## Later\n\nmore\n"
	if string(data) != want {
		t.Errorf("got:\n%q\nwant:\n%q", data, want)
	}
}
