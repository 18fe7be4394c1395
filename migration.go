package strata

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// Migration is a revision written in Go. It shares the graph with the SQL
// files of the migrations directory: Parents may name either kind.
//
//	func init() {
//		strata.Register(strata.Migration{
//			Revision: "20261125093000", Parents: []string{"20261124170512"},
//			Message:  "add completed to todos",
//			Upgrade: func(ctx context.Context, op *strata.Op) error {
//				op.AddColumn("todos", strata.Column("completed", strata.Boolean).Null())
//				op.Execute("UPDATE todos SET completed = false WHERE completed IS NULL")
//				op.AlterColumn("todos", "completed", strata.SetNotNull())
//				return nil
//			},
//			Downgrade: func(ctx context.Context, op *strata.Op) error {
//				op.DropColumn("todos", "completed")
//				return nil
//			},
//		})
//	}
type Migration struct {
	Revision     string
	Parents      []string
	Message      string
	BranchLabels []string
	// DependsOn names revisions that must be applied before this one
	// without being its parents (see revision.Revision.DependsOn).
	DependsOn []string
	// Upgrade and Downgrade record ops on op; strata renders them for the
	// database at hand and runs them. Either may read the database through
	// op.DB (not in offline mode). A nil Downgrade makes the revision
	// irreversible.
	Upgrade, Downgrade func(ctx context.Context, op *Op) error
	// NoTransaction runs the revision outside a transaction, for statements
	// that forbid one.
	NoTransaction bool
}

var (
	registryMu sync.Mutex
	registry   []Migration
)

var revisionIDRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Register adds a Go migration to the global registry, which New uses
// unless WithoutGlobalRegistry is given. It is meant for init functions
// and panics, as database/sql's Register does, on a programming mistake:
// an invalid or duplicate revision id, or no Upgrade function.
func Register(m Migration) {
	if err := m.validate(); err != nil {
		panic(err)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, r := range registry {
		if r.Revision == m.Revision {
			panic(fmt.Sprintf("strata: Register called twice for revision %s", m.Revision))
		}
	}
	registry = append(registry, m)
}

func registered() []Migration {
	registryMu.Lock()
	defer registryMu.Unlock()
	return slices.Clone(registry)
}

func (m Migration) validate() error {
	if !revisionIDRE.MatchString(m.Revision) {
		return fmt.Errorf("strata: Go migration revision %q: use letters, digits and _ only", m.Revision)
	}
	for _, p := range m.Parents {
		if !revisionIDRE.MatchString(p) {
			return fmt.Errorf("strata: Go migration %s: parent %q: use letters, digits and _ only", m.Revision, p)
		}
	}
	for _, d := range m.DependsOn {
		if !revisionIDRE.MatchString(d) {
			return fmt.Errorf("strata: Go migration %s: depends-on %q: use letters, digits and _ only", m.Revision, d)
		}
	}
	if m.Upgrade == nil {
		return fmt.Errorf("strata: Go migration %s has no Upgrade function", m.Revision)
	}
	return nil
}

// revision turns m into a graph node whose programs record ops; x holds
// the -x values the programs' Op hands out.
func (m Migration) revision(dialectName string, x map[string]string) *revision.Revision {
	r := &revision.Revision{
		ID: m.Revision, Parents: slices.Clone(m.Parents), Message: m.Message,
		BranchLabels: slices.Clone(m.BranchLabels), DependsOn: slices.Clone(m.DependsOn), NoTransaction: m.NoTransaction,
		UpFunc: program(m.Upgrade, dialectName, x),
	}
	if m.Downgrade != nil {
		r.DownFunc = program(m.Downgrade, dialectName, x)
	} else {
		r.DownFunc = func(context.Context, revision.Querier, *schema.Schema) ([]op.Op, error) {
			return nil, fmt.Errorf("revision %s has no Downgrade function, so it cannot be downgraded", m.Revision)
		}
	}
	return r
}

func program(fn func(context.Context, *Op) error, dialectName string, x map[string]string) revision.Program {
	return func(ctx context.Context, q revision.Querier, current *schema.Schema) ([]op.Op, error) {
		o := &Op{db: q, current: current, dialect: dialectName, x: x}
		if err := fn(ctx, o); err != nil {
			return nil, err
		}
		if len(o.errs) > 0 {
			return nil, fmt.Errorf("%s", strings.Join(o.errs, "; "))
		}
		return o.ops, nil
	}
}
