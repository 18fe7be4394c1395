package revision_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-go/strata/revision"
)

func rev(id string, parents ...string) *revision.Revision {
	return &revision.Revision{ID: id, Parents: parents}
}

// Graphs of the tests, as revision literals.
var (
	// linear: a <- b <- c
	linear = []*revision.Revision{rev("a"), rev("b", "a"), rev("c", "b")}
	// branch: a <- b1, a <- b2
	branch = []*revision.Revision{rev("a"), rev("b1", "a"), rev("b2", "a")}
	// merge: a <- b1 <- m, a <- b2 <- m, m <- n
	merge = []*revision.Revision{rev("n", "m"), rev("m", "b1", "b2"), rev("b2", "a"), rev("b1", "a"), rev("a")}
	// prefixes: ids sharing prefixes, in two branches off one base.
	prefixes = []*revision.Revision{
		rev("20261101000000"),
		rev("20261102000000", "20261101000000"),
		rev("20261102120000", "20261101000000"),
		rev("2026110", "20261101000000"),
	}
)

func graph(t *testing.T, revs []*revision.Revision) *revision.Graph {
	t.Helper()
	g, err := revision.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func ids(revs []*revision.Revision) []string {
	out := []string{}
	for _, r := range revs {
		out = append(out, r.ID)
	}
	return out
}

func set(ids ...string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func TestGraph(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		revs         []*revision.Revision
		order, heads []string
		bases        []string
	}{
		{"empty", nil, []string{}, nil, nil},
		{"linear", linear, []string{"a", "b", "c"}, []string{"c"}, []string{"a"}},
		{"branch", branch, []string{"a", "b1", "b2"}, []string{"b1", "b2"}, []string{"a"}},
		{"merge", merge, []string{"a", "b1", "b2", "m", "n"}, []string{"n"}, []string{"a"}},
		{"two bases", []*revision.Revision{rev("y"), rev("x"), rev("z", "x", "y")}, []string{"x", "y", "z"}, []string{"z"}, []string{"x", "y"}},
		{"parents first, then by id", []*revision.Revision{rev("b", "z"), rev("z"), rev("a", "b"), rev("c", "z")}, []string{"z", "b", "a", "c"}, []string{"a", "c"}, []string{"z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := graph(t, tt.revs)
			if got := ids(g.Revisions()); !slices.Equal(got, tt.order) {
				t.Errorf("Revisions %v, want %v", got, tt.order)
			}
			if g.Len() != len(tt.revs) {
				t.Errorf("Len %d, want %d", g.Len(), len(tt.revs))
			}
			if got := g.Heads(); !slices.Equal(got, tt.heads) {
				t.Errorf("Heads %v, want %v", got, tt.heads)
			}
			if got := g.Bases(); !slices.Equal(got, tt.bases) {
				t.Errorf("Bases %v, want %v", got, tt.bases)
			}
			for _, r := range tt.revs {
				if got, ok := g.Get(r.ID); !ok || got != r {
					t.Errorf("Get(%q) = %v, %t", r.ID, got, ok)
				}
			}
			if _, ok := g.Get("nope"); ok {
				t.Error(`Get("nope") found a revision`)
			}
		})
	}
}

func TestNewGraphErrors(t *testing.T) {
	t.Parallel()
	withPath := func(r *revision.Revision, path string) *revision.Revision { r.Path = path; return r }
	tests := []struct {
		name  string
		revs  []*revision.Revision
		want  string
		cycle []string
	}{
		{
			name: "unknown parent",
			revs: []*revision.Revision{rev("a"), withPath(rev("b", "x"), "b.sql")},
			want: "revision: b.sql names parent x, which does not exist",
		},
		{
			name: "unknown parent, no path",
			revs: []*revision.Revision{rev("b", "a", "x"), rev("a")},
			want: "revision: revision b names parent x, which does not exist",
		},
		{
			name: "duplicate id",
			revs: []*revision.Revision{withPath(rev("a"), "1_a.sql"), withPath(rev("a"), "2_a.sql")},
			want: "revision: id a is used by both 1_a.sql and 2_a.sql; give one a new id",
		},
		{
			name: "ids differing only in case",
			revs: []*revision.Revision{withPath(rev("abc"), "1_a.sql"), withPath(rev("ABC", "abc"), "2_a.sql")},
			want: "revision: ids abc (1_a.sql) and ABC (2_a.sql) differ only in case, which some databases do not tell apart; give one a new id",
		},
		{
			name:  "cycle",
			revs:  []*revision.Revision{rev("base"), rev("b", "c", "base"), rev("c", "b")},
			want:  "revision: parents form a cycle through b, c",
			cycle: []string{"b", "c"},
		},
		{
			name:  "self parent",
			revs:  []*revision.Revision{rev("a", "a")},
			want:  "revision: parents form a cycle through a",
			cycle: []string{"a"},
		},
		{
			name:  "cycle with a child",
			revs:  []*revision.Revision{rev("d", "c"), rev("c", "b"), rev("b", "c")},
			want:  "revision: parents form a cycle through b, c, d",
			cycle: []string{"b", "c", "d"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := revision.NewGraph(tt.revs)
			if err == nil {
				t.Fatalf("NewGraph = %v, want an error", ids(g.Revisions()))
			}
			if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			var cycle *revision.CycleError
			if errors.As(err, &cycle) != (tt.cycle != nil) {
				t.Fatalf("error %T, CycleError wanted: %t", err, tt.cycle != nil)
			}
			if cycle != nil && !slices.Equal(cycle.Revisions, tt.cycle) {
				t.Errorf("cycle through %v, want %v", cycle.Revisions, tt.cycle)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	g := graph(t, prefixes)
	tests := []struct {
		ref        string
		want       string
		candidates []string
		err        string
	}{
		{ref: "20261101000000", want: "20261101000000"},
		{ref: "20261101", want: "20261101000000"},
		{ref: "2026110212", want: "20261102120000"},
		{ref: "2026110", want: "2026110"}, // an exact id wins over the prefix
		{ref: "202611", candidates: []string{"2026110", "20261101000000", "20261102000000", "20261102120000"}},
		{ref: "20261102", candidates: []string{"20261102000000", "20261102120000"}},
		{ref: "2027", err: `revision: no revision "2027" (see ` + "`strata history`)"},
		{ref: "x20261101", err: `revision: no revision "x20261101"`},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			t.Parallel()
			r, err := g.Lookup(tt.ref)
			switch {
			case tt.want != "":
				if err != nil || r.ID != tt.want {
					t.Errorf("Lookup = %v, %v; want %s", r, err, tt.want)
				}
			case tt.candidates != nil:
				var amb *revision.AmbiguousPrefixError
				if !errors.As(err, &amb) {
					t.Fatalf("Lookup = %v, %v; want an AmbiguousPrefixError", r, err)
				}
				if amb.Prefix != tt.ref || !slices.Equal(amb.Candidates, tt.candidates) {
					t.Errorf("ambiguous %q among %v, want %q among %v", amb.Prefix, amb.Candidates, tt.ref, tt.candidates)
				}
				if !strings.Contains(err.Error(), strings.Join(tt.candidates, ", ")) {
					t.Errorf("error %q does not list the candidates", err)
				}
			default:
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Errorf("Lookup = %v, %v; want error %q", r, err, tt.err)
				}
			}
		})
	}
}

func TestUpgradePlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		revs    []*revision.Revision
		applied map[string]bool
		target  string
		want    []string
		heads   []string // a MultipleHeadsError with these heads
		err     string
	}{
		{name: "linear head from nothing", revs: linear, target: "head", want: []string{"a", "b", "c"}},
		{name: "linear empty target means head", revs: linear, applied: set("a"), target: "", want: []string{"b", "c"}},
		{name: "linear at head", revs: linear, applied: set("a", "b", "c"), target: "head", want: []string{}},
		{name: "linear heads", revs: linear, applied: set("a"), target: "heads", want: []string{"b", "c"}},
		{name: "linear to id", revs: linear, target: "b", want: []string{"a", "b"}},
		{name: "linear to applied id", revs: linear, applied: set("a", "b"), target: "a", want: []string{}},
		{name: "linear +1", revs: linear, applied: set("a"), target: "+1", want: []string{"b"}},
		{name: "linear +2", revs: linear, target: "+2", want: []string{"a", "b"}},
		{name: "linear +N all pending", revs: linear, applied: set("a"), target: "+2", want: []string{"b", "c"}},
		{name: "linear +N beyond pending", revs: linear, applied: set("a"), target: "+3", err: `revision: target "+3": only 2 revisions are pending`},
		{name: "linear +0", revs: linear, target: "+0", err: `revision: target "+0": want +N with N ≥ 1`},
		{name: "linear +x", revs: linear, target: "+x", err: `revision: target "+x": want +N with N ≥ 1`},
		{name: "linear base", revs: linear, target: "base", want: []string{}},
		{name: "linear unknown", revs: linear, target: "zz", err: `revision: no revision "zz"`},
		{name: "empty graph head", target: "head", want: []string{}},
		{name: "branch head", revs: branch, target: "head", heads: []string{"b1", "b2"}},
		{name: "branch empty target", revs: branch, applied: set("a", "b1"), target: "", heads: []string{"b1", "b2"}},
		{name: "branch heads", revs: branch, target: "heads", want: []string{"a", "b1", "b2"}},
		{name: "branch heads from one", revs: branch, applied: set("a", "b1"), target: "heads", want: []string{"b2"}},
		{name: "branch one head", revs: branch, target: "b2", want: []string{"a", "b2"}},
		{name: "branch +2", revs: branch, target: "+2", want: []string{"a", "b1"}},
		{name: "merge head", revs: merge, target: "head", want: []string{"a", "b1", "b2", "m", "n"}},
		{name: "merge from one branch", revs: merge, applied: set("a", "b2"), target: "m", want: []string{"b1", "m"}},
		{name: "prefix", revs: prefixes, target: "2026110212", want: []string{"20261101000000", "20261102120000"}},
		{name: "ambiguous prefix", revs: prefixes, target: "20261102", err: `revision: prefix "20261102" is ambiguous`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := graph(t, tt.revs)
			plan, err := g.UpgradePlan(tt.applied, tt.target)
			switch {
			case tt.heads != nil:
				var mh *revision.MultipleHeadsError
				if !errors.As(err, &mh) {
					t.Fatalf("UpgradePlan = %v, %v; want a MultipleHeadsError", ids(plan), err)
				}
				if !slices.Equal(mh.Heads, tt.heads) {
					t.Errorf("heads %v, want %v", mh.Heads, tt.heads)
				}
			case tt.err != "":
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("UpgradePlan = %v, %v; want error %q", ids(plan), err, tt.err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(plan); !slices.Equal(got, tt.want) {
					t.Errorf("UpgradePlan %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestDowngradePlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		revs    []*revision.Revision
		applied map[string]bool
		target  string
		want    []string
		err     string
	}{
		{name: "empty target means -1", revs: linear, applied: set("a", "b", "c"), target: "", want: []string{"c"}},
		{name: "-1", revs: linear, applied: set("a", "b"), target: "-1", want: []string{"b"}},
		{name: "-2", revs: linear, applied: set("a", "b", "c"), target: "-2", want: []string{"c", "b"}},
		{name: "-N all applied", revs: linear, applied: set("a", "b", "c"), target: "-3", want: []string{"c", "b", "a"}},
		{name: "-N beyond applied", revs: linear, applied: set("a"), target: "-2", err: `revision: target "-2": only 1 revisions are applied`},
		{name: "-1 with nothing applied", revs: linear, target: "-1", err: `revision: target "-1": only 0 revisions are applied`},
		{name: "-0", revs: linear, applied: set("a"), target: "-0", err: `revision: target "-0": want -N with N ≥ 1`},
		{name: "-x", revs: linear, applied: set("a"), target: "-x", err: `revision: target "-x": want -N with N ≥ 1`},
		{name: "base", revs: linear, applied: set("a", "b", "c"), target: "base", want: []string{"c", "b", "a"}},
		{name: "base with nothing applied", revs: linear, target: "base", want: []string{}},
		{name: "to id", revs: linear, applied: set("a", "b", "c"), target: "a", want: []string{"c", "b"}},
		{name: "to current id", revs: linear, applied: set("a", "b"), target: "b", want: []string{}},
		{name: "to id not applied", revs: linear, applied: set("a"), target: "b", err: "revision: b is not applied, so the database cannot be downgraded to it"},
		{name: "to unknown id", revs: linear, applied: set("a"), target: "zz", err: `revision: no revision "zz"`},
		{name: "head", revs: linear, applied: set("a"), target: "head", err: `revision: downgrade target "head" is above the database`},
		{name: "heads", revs: linear, applied: set("a"), target: "heads", err: `revision: downgrade target "heads" is above the database`},
		{name: "merge -1 undoes the merge", revs: merge, applied: set("a", "b1", "b2", "m"), target: "-1", want: []string{"m"}},
		{name: "merge base, children first", revs: merge, applied: set("a", "b1", "b2", "m", "n"), target: "base", want: []string{"n", "m", "b2", "b1", "a"}},
		{name: "merge to one branch undoes the other", revs: merge, applied: set("a", "b1", "b2", "m", "n"), target: "b1", want: []string{"n", "m", "b2"}},
		{name: "prefix", revs: prefixes, applied: set("20261101000000", "20261102000000"), target: "202611010", want: []string{"20261102000000"}},
		{name: "unknown applied ids are ignored", revs: linear, applied: set("a", "gone"), target: "base", want: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := graph(t, tt.revs)
			plan, err := g.DowngradePlan(tt.applied, tt.target)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("DowngradePlan = %v, %v; want error %q", ids(plan), err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(plan); !slices.Equal(got, tt.want) {
				t.Errorf("DowngradePlan %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCurrent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		revs    []*revision.Revision
		applied map[string]bool
		want    []string
	}{
		{"nothing applied", linear, nil, nil},
		{"linear middle", linear, set("a", "b"), []string{"b"}},
		{"linear head", linear, set("a", "b", "c"), []string{"c"}},
		{"branch both", branch, set("a", "b1", "b2"), []string{"b1", "b2"}},
		{"branch one", branch, set("a", "b2"), []string{"b2"}},
		{"merge", merge, set("a", "b1", "b2", "m"), []string{"m"}},
		{"unknown ids are ignored", linear, set("a", "zz"), []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := graph(t, tt.revs).Current(tt.applied); !slices.Equal(got, tt.want) {
				t.Errorf("Current %v, want %v", got, tt.want)
			}
		})
	}
}

// TestGraphFromFiles builds a branched graph from files, as strata reads
// a migrations directory, and plans across it.
func TestGraphFromFiles(t *testing.T) {
	t.Parallel()
	file := func(id, parents string) *fstest.MapFile {
		s := "-- strata:revision " + id + "\n"
		if parents != "" {
			s += "-- strata:parents " + parents + "\n"
		}
		return &fstest.MapFile{Data: []byte(s + "-- migrate:up\nSELECT '" + id + "';\n-- migrate:down\nSELECT 'undo " + id + "';\n")}
	}
	revs, err := revision.Load(fstest.MapFS{
		"20261101000000_base.sql":  file("20261101000000", ""),
		"20261102000000_left.sql":  file("20261102000000", "20261101000000"),
		"20261103000000_right.sql": file("20261103000000", "20261101000000"),
		"20261104000000_merge.sql": file("20261104000000", "20261102000000 20261103000000"),
	})
	if err != nil {
		t.Fatal(err)
	}
	g := graph(t, revs)
	if got := g.Heads(); !slices.Equal(got, []string{"20261104000000"}) {
		t.Errorf("Heads %v", got)
	}
	up, err := g.UpgradePlan(set("20261101000000", "20261103000000"), "head")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(up); !slices.Equal(got, []string{"20261102000000", "20261104000000"}) {
		t.Errorf("UpgradePlan %v", got)
	}
	down, err := g.DowngradePlan(set("20261101000000", "20261102000000", "20261103000000", "20261104000000"), "20261103")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(down); !slices.Equal(got, []string{"20261104000000", "20261102000000"}) {
		t.Errorf("DowngradePlan %v", got)
	}
	if got := down[0].Down; len(got) != 1 || got[0].SQL != "SELECT 'undo 20261104000000'" || got[0].Line != 6 {
		t.Errorf("down statements %+v", got)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	// a <- b <- c (head of main); b <- x (labelled feature) <- y (head)
	revs := []*revision.Revision{
		{ID: "a", BranchLabels: []string{"main"}},
		{ID: "b", Parents: []string{"a"}},
		{ID: "c", Parents: []string{"b"}},
		{ID: "x", Parents: []string{"b"}, BranchLabels: []string{"feature"}},
		{ID: "y", Parents: []string{"x"}},
	}
	g, err := revision.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]string{
		"a": "a", "feature": "x", "feature@head": "y", "x+1": "y", "y-2": "b", "a+1": "b", "c-1": "b",
	} {
		r, err := g.Resolve(target)
		if err != nil || r.ID != want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", target, r, err, want)
		}
	}
	for _, bad := range []string{"main@head", "b+1", "a-1", "a+x", "nosuch"} {
		if r, err := g.Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) = %s, want an error", bad, r.ID)
		}
	}
	plan, err := g.UpgradePlan(map[string]bool{}, "feature@head")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range plan {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, " ") != "a b x y" {
		t.Errorf("upgrade to feature@head = %v, want a b x y", ids)
	}
}
