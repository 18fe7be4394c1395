package strata

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
)

// noteUp writes what migrate tells about rev's upgrade (in dialect) into
// the file, as comment lines above the statements concerned
// (revision.Revision.UpNotes): plan's review warnings above the first
// statement of the op each is about, and the lint findings no lint-ignore
// silences above the statement each names. They are still returned and
// printed as before; the file only lets its reviewer see them too.
func noteUp(rev *revision.Revision, dialect string, plan *Plan) {
	if len(rev.Up) == 0 {
		return
	}
	note := func(i int, text string) {
		// An op that renders nothing of its own is about what follows it;
		// nothing follows the last one.
		i = min(max(i, 0), len(rev.Up)-1)
		if rev.UpNotes == nil {
			rev.UpNotes = map[int]string{}
		}
		if rev.UpNotes[i] != "" {
			rev.UpNotes[i] += "\n"
		}
		rev.UpNotes[i] += text
	}
	if len(plan.upAt) == len(plan.Ops) {
		for i := range plan.Ops {
			for _, w := range plan.warningsAbout(i) {
				note(plan.upAt[i], w)
			}
		}
	}
	for _, f := range lint.Revision(rev, dialect, plan.Current, false) {
		if f.Ignored != "" {
			continue
		}
		note(f.Index, fmt.Sprintf("lint %s %s: %s (docs/lint/%s.md)", f.Rule, f.Title, f.Message, f.Rule))
	}
}

// warningsAbout returns the review warnings about the op plan.Ops[i], as
// comment text ("warning: …"): those of Warnings, and the rename
// candidate a dropped column may be. None when the plan was not made by
// Diff, which alone knows which op each warning is about.
func (plan *Plan) warningsAbout(i int) []string {
	var out []string
	if len(plan.warnedOp) == len(plan.Warnings) {
		for j, w := range plan.Warnings {
			if plan.warnedOp[j] == i {
				out = append(out, "warning: "+w)
			}
		}
	}
	if d, ok := plan.Ops[i].(op.DropColumn); ok {
		for _, r := range plan.RenameCandidates {
			if d.Table == r.Table && d.Column.Name == r.From {
				out = append(out, fmt.Sprintf("warning: column %s.%s is dropped and %s added with the same type; if it is a rename, generate the revision again with --rename %s.%s=%s",
					r.Table, r.From, r.To, r.Table, r.From, r.To))
			}
		}
	}
	return out
}

// goNotes writes the review warnings about the op plan.Ops[i] as Go
// comments, above the op call a Go revision's upgrade makes for it.
func goNotes(b *bytes.Buffer, plan *Plan, i int) {
	for _, w := range plan.warningsAbout(i) {
		fmt.Fprintf(b, "\t\t\t// %s\n", strings.Join(strings.Fields(w), " "))
	}
}
