package cli

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
)

// TestProgressLines: what the progress printer writes for a run's events,
// on a terminal (the live line, redrawn with its time, replaced by the
// finished line) and not (the finished lines only), a resumed revision's
// note, the summary, and a failure (no summary). The clock is fake and
// the redraw is called by hand.
func TestProgressLines(t *testing.T) {
	a := &revision.Revision{ID: "001", Message: "create users"}
	b := &revision.Revision{ID: "002"}
	clock := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	events := func(p *progress, fail bool) {
		p.start()
		p.event(strata.ProgressEvent{Revision: a, Direction: runner.Up, Index: 1, Total: 2})
		clock = clock.Add(1500 * time.Millisecond)
		p.mu.Lock()
		p.draw()
		p.mu.Unlock()
		p.event(strata.ProgressEvent{Revision: a, Direction: runner.Up, Index: 1, Total: 2, Finished: true,
			Result: &strata.Result{Revision: a, Duration: 1500 * time.Millisecond, ResumeNote: "1 of 2 statements had run"}})
		p.event(strata.ProgressEvent{Revision: b, Direction: runner.Up, Index: 2, Total: 2})
		clock = clock.Add(250 * time.Millisecond)
		var err error
		if fail {
			err = errors.New("boom")
			p.event(strata.ProgressEvent{Revision: b, Direction: runner.Up, Index: 2, Total: 2, Finished: true, Err: err})
		} else {
			p.event(strata.ProgressEvent{Revision: b, Direction: runner.Up, Index: 2, Total: 2, Finished: true,
				Result: &strata.Result{Revision: b, Duration: 250 * time.Millisecond}})
		}
		p.end(nil, err)
	}
	for _, c := range []struct {
		name       string
		live, fail bool
		want       string
	}{
		{"plain", false, false, "Upgraded 001 (create users) in 1.5s\n" +
			"  resumed where an earlier run stopped: 1 of 2 statements had run\n" +
			"Upgraded 002 in 250ms\n" +
			"2 revisions upgraded in 1.75s\n"},
		{"terminal", true, false, "\r\x1b[K[1/2] upgrading 001 (create users)… 0.0s" +
			"\r\x1b[K[1/2] upgrading 001 (create users)… 1.5s" +
			"\r\x1b[KUpgraded 001 (create users) in 1.5s\n" +
			"  resumed where an earlier run stopped: 1 of 2 statements had run\n" +
			"\r\x1b[K[2/2] upgrading 002… 0.0s" +
			"\r\x1b[KUpgraded 002 in 250ms\n" +
			"2 revisions upgraded in 1.75s\n"},
		{"plain failed", false, true, "Upgraded 001 (create users) in 1.5s\n" +
			"  resumed where an earlier run stopped: 1 of 2 statements had run\n"},
		{"terminal failed", true, true, "\r\x1b[K[1/2] upgrading 001 (create users)… 0.0s" +
			"\r\x1b[K[1/2] upgrading 001 (create users)… 1.5s" +
			"\r\x1b[KUpgraded 001 (create users) in 1.5s\n" +
			"  resumed where an earlier run stopped: 1 of 2 statements had run\n" +
			"\r\x1b[K[2/2] upgrading 002… 0.0s" +
			"\r\x1b[K"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := &progress{w: &buf, live: c.live, done: "Upgraded", verb: "upgrading", now: now}
			events(p, c.fail)
			if got := buf.String(); got != c.want {
				t.Fatalf("got:\n%q\nwant:\n%q", got, c.want)
			}
		})
	}
}

// TestProgressWithoutEvents: when no event came (an application's own
// strata.WithProgress replaced the CLI's), the results are printed at
// the end, then the summary.
func TestProgressWithoutEvents(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	p := &progress{w: &buf, done: "Downgraded", verb: "downgrading", now: func() time.Time { return clock }}
	p.start()
	clock = clock.Add(time.Second)
	p.end([]strata.Result{{Revision: &revision.Revision{ID: "002"}, Duration: time.Second}}, nil)
	if got, want := buf.String(), "Downgraded 002 in 1s\n1 revision downgraded in 1s\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
