package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/runner"
)

// progress prints an upgrade's or downgrade's revisions as they finish,
// fed by strata.WithProgress, and a summary line at the end. Not on a
// terminal it prints plain lines only ("Upgraded ID (message) in D"), so
// that scripts and logs read what they always read. On a terminal it also
// shows the revision that is running, "[2/3] upgrading ID (message)… 1.2s",
// rewritten in place as the time goes by and replaced by its finished
// line.
type progress struct {
	w io.Writer
	// live: w is a terminal that takes \r and the erase-line escape.
	live bool
	// done is "Upgraded" or "Downgraded"; verb "upgrading" or "downgrading".
	done, verb string
	// tick is how often the live line's time is redrawn (0: only when an
	// event comes).
	tick time.Duration
	now  func() time.Time

	mu    sync.Mutex
	began time.Time
	// count is the revisions completed.
	count int
	// line is the live line without its time, "" when none is shown;
	// lineBegan is when its revision started.
	line      string
	lineBegan time.Time
	stop      chan struct{}
}

// newProgress returns the progress printer for mv on cmd's output. The
// live line needs standard output to be a terminal; --debug turns it off,
// as the statements it logs on standard error would break into it.
func newProgress(cmd *cobra.Command, mv move, debug bool) *progress {
	w := out(cmd)
	live := writesToTerminal(w) && os.Getenv("TERM") != "dumb" && !debug
	verb := "upgrading"
	if mv.dir == runner.Down {
		verb = "downgrading"
	}
	return &progress{w: w, live: live, done: mv.done, verb: verb, tick: 100 * time.Millisecond, now: time.Now}
}

// start notes when the run began, for the summary.
func (p *progress) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.began.IsZero() {
		p.began = p.now()
	}
}

// event is the strata.WithProgress callback.
func (p *progress) event(e strata.ProgressEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.began.IsZero() {
		p.began = p.now()
	}
	if !e.Finished {
		if !p.live {
			return
		}
		p.line = liveLine(fmt.Sprintf("[%d/%d] %s %s…", e.Index, e.Total, p.verb, describe(e.Revision.ID, e.Revision.Message)))
		p.lineBegan = p.now()
		p.draw()
		if p.tick > 0 {
			p.stop = make(chan struct{})
			go p.redraw(p.stop)
		}
		return
	}
	p.clear()
	if e.Err != nil || e.Result == nil {
		// The error is the command's, printed once on standard error.
		return
	}
	p.finished(e.Result)
}

// finished prints a completed revision's line; p.mu is held.
func (p *progress) finished(r *strata.Result) {
	p.count++
	fmt.Fprintf(p.w, "%s %s in %s\n", p.done, describe(r.Revision.ID, r.Revision.Message), r.Duration.Round(100_000))
	if r.ResumeNote != "" {
		fmt.Fprintf(p.w, "  resumed where an earlier run stopped: %s\n", r.ResumeNote)
	}
}

// end clears the live line and, when the run succeeded and completed a
// revision, prints the summary: "3 revisions upgraded in 4.512s". A
// failed run has printed what it completed and gets no summary: its
// error follows. results are the run's: printed here only if no event
// came (an application's own strata.WithProgress, passed with
// WithOptions, replaces the CLI's).
func (p *progress) end(results []strata.Result, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	if p.count == 0 {
		for _, r := range results {
			p.finished(&r)
		}
	}
	if err != nil || p.count == 0 {
		return
	}
	noun := "revisions"
	if p.count == 1 {
		noun = "revision"
	}
	fmt.Fprintf(p.w, "%d %s %s in %s\n", p.count, noun, strings.ToLower(p.done), p.now().Sub(p.began).Round(time.Millisecond))
}

// draw writes the live line with the time its revision has taken; p.mu
// is held.
func (p *progress) draw() {
	if p.line == "" {
		return
	}
	elapsed := p.now().Sub(p.lineBegan)
	fmt.Fprintf(p.w, "\r\x1b[K%s %.1fs", p.line, elapsed.Seconds())
}

// clear erases the live line and stops its redrawing; p.mu is held.
func (p *progress) clear() {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	if p.line != "" {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.line = ""
	}
}

// redraw updates the live line's time until stop is closed.
func (p *progress) redraw(stop chan struct{}) {
	t := time.NewTicker(p.tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			select {
			case <-stop:
			default:
				p.draw()
			}
			p.mu.Unlock()
		}
	}
}

// liveLine shortens s to fit a narrow terminal on one line: a line that
// wraps cannot be rewritten in place.
func liveLine(s string) string {
	const max = 70
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
