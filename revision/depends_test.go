package revision_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/revision"
)

// dependsGraph: two independent bases, a <- a2 and b <- b2, where b2
// depends on a2 without being its child.
func dependsGraph(t *testing.T) *revision.Graph {
	b2 := rev("b2", "b")
	b2.DependsOn = []string{"a2"}
	return graph(t, []*revision.Revision{rev("a"), rev("a2", "a"), rev("b"), b2})
}

func TestDependsOn(t *testing.T) {
	t.Parallel()
	g := dependsGraph(t)
	if got, want := g.Heads(), []string{"a2", "b2"}; !slices.Equal(got, want) {
		t.Errorf("Heads = %v, want %v: a dependency does not make a child", got, want)
	}
	// Upgrading to b2 applies its dependency (and the dependency's
	// parent) first.
	plan, err := g.UpgradePlan(set(), "b2")
	if err != nil {
		t.Fatal(err)
	}
	got := ids(plan)
	if !slices.Contains(got, "a2") || slices.Index(got, "a2") > slices.Index(got, "b2") || slices.Index(got, "a") > slices.Index(got, "a2") {
		t.Errorf("UpgradePlan(b2) = %v, want a before a2 before b2", got)
	}
	// Downgrading a2 undoes b2 first, since b2 needs it.
	plan, err = g.DowngradePlan(set("a", "a2", "b", "b2"), "a")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(plan); !slices.Contains(got, "a2") || slices.Index(got, "b2") > slices.Index(got, "a2") {
		t.Errorf("DowngradePlan(a) = %v, want b2 undone before a2", got)
	}
	// -1 from everything undoes a dependent before its dependency.
	plan, err = g.DowngradePlan(set("a", "a2", "b", "b2"), "-2")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(plan); slices.Index(got, "b2") > slices.Index(got, "a2") && slices.Contains(got, "a2") {
		t.Errorf("DowngradePlan(-2) = %v: a2 undone before b2, which depends on it", got)
	}
	// b@head follows parents only: b2, not a2.
	r, err := g.Resolve("b@head")
	if err != nil || r.ID != "b2" {
		t.Errorf("Resolve(b@head) = %v, %v; want b2", r, err)
	}
	if got := g.Dependents("a2"); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("Dependents(a2) = %v", got)
	}
}

func TestDependsOnUnknown(t *testing.T) {
	t.Parallel()
	b := rev("b")
	b.DependsOn = []string{"nope"}
	_, err := revision.NewGraph([]*revision.Revision{rev("a"), b})
	if err == nil || !strings.Contains(err.Error(), "depends on nope, which does not exist") {
		t.Fatalf("err = %v", err)
	}
	// A dependency cycle is a cycle.
	a := rev("a")
	a.DependsOn = []string{"c"}
	_, err = revision.NewGraph([]*revision.Revision{a, rev("c", "a")})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("err = %v, want a cycle", err)
	}
}

func TestDependsOnFile(t *testing.T) {
	t.Parallel()
	r := &revision.Revision{ID: "b2", Parents: []string{"b"}, DependsOn: []string{"a2", "a3"}, BranchLabels: []string{"billing"}, Message: "m"}
	data := revision.Format(r)
	if !strings.Contains(string(data), "-- strata:depends-on a2 a3\n") {
		t.Fatalf("Format lacks the depends-on line:\n%s", data)
	}
	back, err := revision.Parse("b2.sql", data)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.DependsOn, r.DependsOn) || !slices.Equal(back.BranchLabels, r.BranchLabels) {
		t.Errorf("Parse(Format(r)) = %+v", back)
	}
	if _, err := revision.Parse("x.sql", []byte("-- strata:revision x\n-- strata:depends-on a-b\n-- migrate:up\n")); err == nil {
		t.Error("an invalid depends-on id parsed")
	}
}
