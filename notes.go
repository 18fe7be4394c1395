package strata

import (
	"fmt"

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
	// A plan not made by Diff has no places for its warnings.
	placed := len(plan.warnedOp) == len(plan.Warnings) && len(plan.upAt) == len(plan.Ops)
	if placed {
		for i, w := range plan.Warnings {
			note(plan.upAt[plan.warnedOp[i]], "warning: "+w)
		}
		for _, r := range plan.RenameCandidates {
			for i, o := range plan.Ops {
				if d, ok := o.(op.DropColumn); ok && d.Table == r.Table && d.Column.Name == r.From {
					note(plan.upAt[i], fmt.Sprintf("warning: column %s.%s is dropped and %s added with the same type; if it is a rename, generate the revision again with --rename %s.%s=%s",
						r.Table, r.From, r.To, r.Table, r.From, r.To))
				}
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
