// Package replay replays real projects' migration histories
// (../shared/corpora/histories) through strata, step by step.
//
// For each history and dialect it keeps two databases: the reference R,
// to which the project's own up files are applied in order, and strata's
// S. After step N is applied to R, strata inspects both, diffs S towards
// R, renders the ops with the dialect and applies them to S (in one
// transaction where the dialect has transactional DDL). S must then
// inspect equal to R, and a second diff must be empty. A step that fails
// is recorded with its stage and message, and S is made equal to R again
// (from strata's rendering of R's schema, or else by replaying R's
// statements) so that one failure does not cascade.
//
// Optionally (Runner.Inverse) each passing step's generated downgrade,
// diff.Inverse of its ops, is rendered and applied too, and must restore
// the schema S had before the step; this is reported separately.
//
// The command in cmd/replay runs it and writes the section "Replay of
// migration histories" of docs/conformance.md.
package replay
