package crashtest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Round is one concurrency round: Runners strata processes started at
// once on one database.
type Round struct {
	Name    string
	Runners int
	// Succeeded counts the runners that exited 0.
	Succeeded int
	// WantAt is the number of revisions that must be applied afterwards
	// (from the start and the runners that succeeded); GotAt the number
	// the version table holds (-1 when it is not a chain).
	WantAt, GotAt int
	// ExactlyOnce: every applied revision's counter row is there once,
	// and no other.
	ExactlyOnce bool
	// Consistent: schema and data equal the clean run at GotAt.
	Consistent bool
	Problems   []string
}

// OK reports whether the round kept the promise.
func (r Round) OK() bool {
	return r.Succeeded == r.Runners && r.WantAt == r.GotAt && r.ExactlyOnce && r.Consistent
}

// counterRevisionCount is the size of the concurrency revision set: more
// than 16, so that 16 one-step downgrades each have a revision to undo.
const counterRevisionCount = 24

// concurrency runs the three rounds: all upgrade head from base, all
// downgrade -1 from head, half upgrade +1 and half downgrade -1 from the
// middle.
func (h *harness) concurrency(ctx context.Context, runners int) ([]Round, error) {
	revs := counterRevisions(counterRevisionCount)
	dir := filepath.Join(h.tmp, "counter-migrations")
	if err := writeRevisions(dir, revs); err != nil {
		return nil, err
	}
	c := &counterSet{h: h, revs: revs, dir: dir, cache: map[int]snapshot{}}
	ref, err := newDatabase(h.cfg.Dialect, h.tmp, "counter-reference")
	if err != nil {
		return nil, err
	}
	defer ref.close()
	c.ref = ref
	n := len(revs)
	mid := n / 2
	half := runners / 2
	plans := []struct {
		name  string
		start int
		args  func(i int) []string
	}{
		{fmt.Sprintf("%d × upgrade head", runners), 0, func(int) []string { return []string{"upgrade", "--force", "head"} }},
		{fmt.Sprintf("%d × downgrade -1", runners), n, func(int) []string { return []string{"downgrade", "--force", "--", "-1"} }},
		{fmt.Sprintf("%d × upgrade +1, %d × downgrade -1", half, runners-half), mid, func(i int) []string {
			if i < half {
				return []string{"upgrade", "--force", "+1"}
			}
			return []string{"downgrade", "--force", "--", "-1"}
		}},
	}
	var rounds []Round
	for _, p := range plans {
		rd, err := c.round(ctx, p.name, p.start, runners, p.args)
		if err != nil {
			return rounds, err
		}
		h.log.Info("concurrency", "dialect", h.cfg.Dialect, "round", rd.Name, "ok", rd.OK(), "problems", len(rd.Problems))
		rounds = append(rounds, rd)
	}
	return rounds, nil
}

type counterSet struct {
	h     *harness
	revs  []revision
	dir   string
	ref   *database
	cache map[int]snapshot
}

func (c *counterSet) target(k int) string {
	if k == 0 {
		return "base"
	}
	return c.revs[k-1].ID
}

// clean returns the clean run's snapshot at k, moving the reference
// database there with strata.
func (c *counterSet) clean(ctx context.Context, k int) (snapshot, error) {
	if s, ok := c.cache[k]; ok {
		return s, nil
	}
	applied, _, err := c.ref.versions(ctx)
	if err != nil {
		return snapshot{}, err
	}
	verb := "upgrade"
	if len(applied) > k {
		verb = "downgrade"
	}
	if _, err := c.h.mustStrata(ctx, c.ref, c.dir, verb, "--force", c.target(k)); err != nil {
		return snapshot{}, err
	}
	s, err := c.ref.snapshot(ctx)
	if err != nil {
		return snapshot{}, err
	}
	c.cache[k] = s
	return s, nil
}

func (c *counterSet) round(ctx context.Context, name string, start, runners int, args func(int) []string) (Round, error) {
	rd := Round{Name: name, Runners: runners, GotAt: -1}
	db, err := newDatabase(c.h.cfg.Dialect, c.h.tmp, fmt.Sprintf("counter-%d", start))
	if err != nil {
		return rd, err
	}
	defer db.close()
	if start > 0 {
		if _, err := c.h.mustStrata(ctx, db, c.dir, "upgrade", "--force", c.target(start)); err != nil {
			return rd, err
		}
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		netUp   int
		results = make([]run, runners)
	)
	for i := range runners {
		wg.Go(func() {
			a := args(i)
			r := c.h.strata(ctx, db, c.dir, a...)
			mu.Lock()
			defer mu.Unlock()
			results[i] = r
			if r.err != nil {
				return
			}
			rd.Succeeded++
			// A relative step that succeeded moved by one; an upgrade
			// to head is checked against head below.
			switch a[len(a)-1] {
			case "+1":
				netUp++
			case "-1":
				netUp--
			}
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil {
			rd.Problems = append(rd.Problems, fmt.Sprintf("runner %d (%s): %v: %s", i+1, strings.Join(args(i), " "), r.err, oneLine(r.output)))
		}
	}
	rd.WantAt = start + netUp
	if start == 0 && rd.Succeeded > 0 {
		rd.WantAt = len(c.revs) // upgrade head
	}
	rd.WantAt = max(0, min(rd.WantAt, len(c.revs)))
	if err := db.waitIdle(ctx); err != nil {
		return rd, err
	}
	applied, progress, err := db.versions(ctx)
	if err != nil {
		return rd, err
	}
	if len(progress) > 0 {
		rd.Problems = append(rd.Problems, fmt.Sprintf("progress left: %+v", progress))
	}
	k := 0
	for k < len(c.revs) && slices.Contains(applied, c.revs[k].ID) {
		k++
	}
	if k == len(applied) {
		rd.GotAt = k
	} else {
		rd.Problems = append(rd.Problems, fmt.Sprintf("version table is not a chain from the base: %d applied, first %d in order", len(applied), k))
	}
	if rd.GotAt != rd.WantAt {
		rd.Problems = append(rd.Problems, fmt.Sprintf("%d revision(s) applied, want %d", rd.GotAt, rd.WantAt))
	}
	counts, err := db.counts(ctx, "ct_counter", "rev")
	if err != nil {
		return rd, err
	}
	rd.ExactlyOnce = true
	for i, r := range c.revs {
		want := 0
		if slices.Contains(applied, r.ID) {
			want = 1
		}
		name := fmt.Sprintf("c%02d", i+1)
		if counts[name] != want {
			rd.ExactlyOnce = false
			rd.Problems = append(rd.Problems, fmt.Sprintf("counter %s: %d row(s), want %d", name, counts[name], want))
		}
	}
	if rd.GotAt >= 0 {
		want, err := c.clean(ctx, rd.GotAt)
		if err != nil {
			return rd, err
		}
		got, err := db.snapshot(ctx)
		if err != nil {
			return rd, err
		}
		rd.Consistent = got.equal(want)
		if !rd.Consistent {
			rd.Problems = append(rd.Problems, "differs from the clean run: "+got.diff(want))
		}
	}
	return rd, nil
}
