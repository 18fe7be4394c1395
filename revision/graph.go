package revision

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Graph is the directed acyclic graph of revisions, each pointing at its
// parents.
type Graph struct {
	revs     map[string]*Revision
	children map[string][]string
	// dependents maps a revision to those that name it in DependsOn.
	dependents map[string][]string
	order      []string // topological: parents and dependencies first, ties by id
}

// MultipleHeadsError reports that a target needs one head but the graph
// has several.
type MultipleHeadsError struct{ Heads []string }

func (e *MultipleHeadsError) Error() string {
	return fmt.Sprintf("revision: multiple heads %s; name one as the target, upgrade to \"heads\", or merge them with `strata merge -m \"merge\" heads`",
		strings.Join(e.Heads, ", "))
}

// AmbiguousPrefixError reports a revision prefix that matches several
// revisions.
type AmbiguousPrefixError struct {
	Prefix     string
	Candidates []string
}

func (e *AmbiguousPrefixError) Error() string {
	return fmt.Sprintf("revision: prefix %q is ambiguous; it matches %s", e.Prefix, strings.Join(e.Candidates, ", "))
}

// CycleError reports revisions whose parents form a cycle.
type CycleError struct{ Revisions []string }

func (e *CycleError) Error() string {
	return fmt.Sprintf("revision: parents form a cycle through %s", strings.Join(e.Revisions, ", "))
}

// NewGraph checks and links revisions: ids unique, parents known, no cycle.
func NewGraph(revs []*Revision) (*Graph, error) {
	g := &Graph{revs: map[string]*Revision{}, children: map[string][]string{}, dependents: map[string][]string{}}
	folded := map[string]*Revision{}
	for _, r := range revs {
		if prev, ok := g.revs[r.ID]; ok {
			return nil, fmt.Errorf("revision: id %s is used by both %s and %s; give one a new id", r.ID, where(prev), where(r))
		}
		// Version tables compare ids case-insensitively on MySQL (its
		// default collations), so two ids that differ only in case would
		// be one revision there: refused on every database.
		if prev, ok := folded[strings.ToLower(r.ID)]; ok {
			return nil, fmt.Errorf("revision: ids %s (%s) and %s (%s) differ only in case, which some databases do not tell apart; give one a new id",
				prev.ID, where(prev), r.ID, where(r))
		}
		folded[strings.ToLower(r.ID)] = r
		g.revs[r.ID] = r
	}
	for _, r := range revs {
		for _, p := range r.Parents {
			if _, ok := g.revs[p]; !ok {
				return nil, fmt.Errorf("revision: %s names parent %s, which does not exist", where(r), p)
			}
			g.children[p] = append(g.children[p], r.ID)
		}
		for _, d := range r.DependsOn {
			if _, ok := g.revs[d]; !ok {
				return nil, fmt.Errorf("revision: %s depends on %s, which does not exist", where(r), d)
			}
			if slices.Contains(r.Parents, d) || slices.Contains(g.dependents[d], r.ID) {
				continue // already ordered by the parent link, or named twice
			}
			g.dependents[d] = append(g.dependents[d], r.ID)
		}
	}
	// Kahn's algorithm, smallest id first, for a stable order.
	indegree := map[string]int{}
	var ready []string
	for id, r := range g.revs {
		indegree[id] = len(r.Parents) + len(g.dependentsOf(r))
		if indegree[id] == 0 {
			ready = append(ready, id)
		}
	}
	for len(ready) > 0 {
		slices.Sort(ready)
		id := ready[0]
		ready = ready[1:]
		g.order = append(g.order, id)
		for _, c := range slices.Concat(g.children[id], g.dependents[id]) {
			if indegree[c]--; indegree[c] == 0 {
				ready = append(ready, c)
			}
		}
	}
	if len(g.order) != len(g.revs) {
		var stuck []string
		for id, n := range indegree {
			if n > 0 {
				stuck = append(stuck, id)
			}
		}
		slices.Sort(stuck)
		return nil, &CycleError{Revisions: stuck}
	}
	return g, nil
}

// dependentsOf returns r's dependencies that are not also its parents:
// the extra edges that order r after them.
func (g *Graph) dependentsOf(r *Revision) []string {
	var out []string
	for _, d := range r.DependsOn {
		if !slices.Contains(r.Parents, d) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func where(r *Revision) string {
	if r.Path != "" {
		return r.Path
	}
	return "revision " + r.ID
}

// Get returns the revision with id.
func (g *Graph) Get(id string) (*Revision, bool) {
	r, ok := g.revs[id]
	return r, ok
}

// Len returns the number of revisions.
func (g *Graph) Len() int { return len(g.order) }

// Revisions returns every revision in topological order, parents first.
func (g *Graph) Revisions() []*Revision {
	out := make([]*Revision, len(g.order))
	for i, id := range g.order {
		out[i] = g.revs[id]
	}
	return out
}

// Heads returns the revisions no other revision follows, by id.
func (g *Graph) Heads() []string {
	var heads []string
	for _, id := range g.order {
		if len(g.children[id]) == 0 {
			heads = append(heads, id)
		}
	}
	slices.Sort(heads)
	return heads
}

// Bases returns the revisions without parents, by id.
func (g *Graph) Bases() []string {
	var bases []string
	for _, id := range g.order {
		if len(g.revs[id].Parents) == 0 {
			bases = append(bases, id)
		}
	}
	return bases
}

// Lookup finds a revision by id or unique prefix.
func (g *Graph) Lookup(ref string) (*Revision, error) {
	if r, ok := g.revs[ref]; ok {
		return r, nil
	}
	var matches []string
	for _, id := range g.order {
		if strings.HasPrefix(id, ref) {
			matches = append(matches, id)
		}
	}
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("revision: no revision %q (see `strata history`)", ref)
	case 1:
		return g.revs[matches[0]], nil
	}
	slices.Sort(matches)
	return nil, &AmbiguousPrefixError{Prefix: ref, Candidates: matches}
}

// ancestors returns ids and every revision they descend from or depend
// on, themselves included: what must be applied for them to be.
func (g *Graph) ancestors(ids ...string) map[string]bool {
	seen := map[string]bool{}
	stack := slices.Clone(ids)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		stack = append(stack, g.revs[id].Parents...)
		stack = append(stack, g.revs[id].DependsOn...)
	}
	return seen
}

// lineage returns id and every revision it descends from through
// parents, dependencies left out: the branch it stands on.
func (g *Graph) lineage(id string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !seen[id] {
			seen[id] = true
			stack = append(stack, g.revs[id].Parents...)
		}
	}
	return seen
}

// UpgradePlan returns, parents first, the revisions to apply to reach
// target from the applied set. Targets: "head" (the single head),
// "heads", a revision id or unique prefix, "+N" (the next N pending
// revisions).
func (g *Graph) UpgradePlan(applied map[string]bool, target string) ([]*Revision, error) {
	if target == "" {
		target = "head"
	}
	var goal map[string]bool
	limit := -1
	switch {
	case target == "head":
		heads := g.Heads()
		if len(heads) > 1 {
			return nil, &MultipleHeadsError{Heads: heads}
		}
		goal = g.ancestors(heads...)
	case target == "heads":
		goal = g.ancestors(g.Heads()...)
	case target == "base":
		return nil, nil
	case strings.HasPrefix(target, "+"):
		n, err := strconv.Atoi(target[1:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("revision: target %q: want +N with N ≥ 1", target)
		}
		goal, limit = g.ancestors(g.Heads()...), n
	default:
		r, err := g.Resolve(target)
		if err != nil {
			return nil, err
		}
		goal = g.ancestors(r.ID)
	}
	var plan []*Revision
	for _, id := range g.order {
		if goal[id] && !applied[id] {
			plan = append(plan, g.revs[id])
		}
	}
	if limit >= 0 {
		if limit > len(plan) {
			return nil, fmt.Errorf("revision: target %q: only %d revisions are pending", target, len(plan))
		}
		plan = plan[:limit]
	}
	return plan, nil
}

// DowngradePlan returns, children first, the applied revisions to undo to
// reach target. Targets: "base" (undo everything), a revision id or unique
// prefix (undo what is applied and not an ancestor of it), "-N" (undo the
// last N). An empty target means "-1".
func (g *Graph) DowngradePlan(applied map[string]bool, target string) ([]*Revision, error) {
	if target == "" {
		target = "-1"
	}
	var keep map[string]bool
	limit := -1
	switch {
	case target == "base":
		keep = map[string]bool{}
	case strings.HasPrefix(target, "-"):
		n, err := strconv.Atoi(target[1:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("revision: target %q: want -N with N ≥ 1", target)
		}
		keep, limit = map[string]bool{}, n
	case target == "head" || target == "heads":
		return nil, fmt.Errorf("revision: downgrade target %q is above the database; name a revision, -N or base", target)
	default:
		r, err := g.Resolve(target)
		if err != nil {
			return nil, err
		}
		if !applied[r.ID] {
			return nil, fmt.Errorf("revision: %s is not applied, so the database cannot be downgraded to it", r.ID)
		}
		keep = g.ancestors(r.ID)
	}
	var plan []*Revision
	for i := len(g.order) - 1; i >= 0; i-- {
		id := g.order[i]
		if applied[id] && !keep[id] {
			plan = append(plan, g.revs[id])
		}
	}
	if limit >= 0 {
		if limit > len(plan) {
			return nil, fmt.Errorf("revision: target %q: only %d revisions are applied", target, len(plan))
		}
		plan = plan[:limit]
	}
	return plan, nil
}

// Current returns the applied revisions that no applied revision follows:
// where the database stands.
func (g *Graph) Current(applied map[string]bool) []string {
	var cur []string
	for id := range applied {
		if _, known := g.revs[id]; !known {
			continue
		}
		top := true
		for _, c := range g.children[id] {
			if applied[c] {
				top = false
				break
			}
		}
		if top {
			cur = append(cur, id)
		}
	}
	slices.Sort(cur)
	return cur
}

// Resolve finds the revision a target names: an id or unique prefix, a
// branch label, label@head (the head of that branch), or a revision
// followed by +N or -N (N steps along its only child or parent).
func (g *Graph) Resolve(target string) (*Revision, error) {
	if label, ok := strings.CutSuffix(target, "@head"); ok {
		r, err := g.Resolve(label)
		if err != nil {
			return nil, err
		}
		var heads []string
		for _, h := range g.Heads() {
			if g.lineage(h)[r.ID] {
				heads = append(heads, h)
			}
		}
		if len(heads) != 1 {
			return nil, &MultipleHeadsError{Heads: heads}
		}
		return g.revs[heads[0]], nil
	}
	if i := strings.LastIndexAny(target, "+-"); i > 0 {
		n, err := strconv.Atoi(target[i+1:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("revision: target %q: want REV+N or REV-N with N ≥ 1", target)
		}
		r, err := g.Resolve(target[:i])
		if err != nil {
			return nil, err
		}
		for step := 0; step < n; step++ {
			next := g.children[r.ID]
			if target[i] == '-' {
				next = r.Parents
			}
			if len(next) != 1 {
				return nil, fmt.Errorf("revision: target %q: %s has %d %s, so the step is ambiguous or impossible; name the revision",
					target, r.ID, len(next), map[byte]string{'+': "children", '-': "parents"}[target[i]])
			}
			r = g.revs[next[0]]
		}
		return r, nil
	}
	for _, id := range g.order {
		if slices.Contains(g.revs[id].BranchLabels, target) {
			return g.revs[id], nil
		}
	}
	return g.Lookup(target)
}

// Dependents returns the revisions that name id in DependsOn (and not as
// a parent).
func (g *Graph) Dependents(id string) []string { return slices.Clone(g.dependents[id]) }

// Children returns the revisions that name id as a parent.
func (g *Graph) Children(id string) []string { return slices.Clone(g.children[id]) }
