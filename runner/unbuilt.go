package runner

import (
	"fmt"
	"strings"

	"github.com/strata-go/strata/revision"
)

// GoSourceError reports Go revisions of a plan that this binary knows
// only from their source (revision.Revision.GoSource): the standalone
// strata binary links them into the graph but cannot run them. A run
// that meets one stops before anything runs.
type GoSourceError struct {
	// Revisions are the revisions only the application can run, in plan
	// order.
	Revisions []*revision.Revision
	Direction Direction
}

func (e *GoSourceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s refused before running anything: ", e.Direction.command())
	if len(e.Revisions) == 1 {
		b.WriteString("the plan holds a Go revision, which this binary cannot run:")
	} else {
		fmt.Fprintf(&b, "the plan holds %d Go revisions, which this binary cannot run:", len(e.Revisions))
	}
	for _, rev := range e.Revisions {
		fmt.Fprintf(&b, "\n  %s: revision %s is a Go revision", rev.GoSource, rev.ID)
	}
	b.WriteString("\n  Go revisions are compiled into the application: run its mounted commands (myapp db " + e.Direction.command() + ")," +
		"\n  built with its migrations package imported. The standalone strata binary reads their headers only.")
	return b.String()
}

// checkGoSource returns a *GoSourceError when plan holds a revision known
// only from its source.
func checkGoSource(plan []*revision.Revision, dir Direction) error {
	var unrunnable []*revision.Revision
	for _, rev := range plan {
		if rev.GoSource != "" {
			unrunnable = append(unrunnable, rev)
		}
	}
	if len(unrunnable) == 0 {
		return nil
	}
	return &GoSourceError{Revisions: unrunnable, Direction: dir}
}
