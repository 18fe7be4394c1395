// Package conformance runs strata against the sqldef corpus of schema
// changes (../shared/corpora/sqldef, see its README): a directory per
// tool (psqldef, mysqldef, sqlite3def) of YAML files, each a map of case
// name to {current, desired, up, down, error, ...}.
//
// # Modes
//
// ModeRoundTrip applies a case's desired DDL to a fresh database,
// inspects it, renders the inspected schema back to DDL, applies that to
// a second fresh database and inspects again: the two schemas must be
// equal.
//
// ModeConverge applies current to a fresh database A and desired to a
// fresh database B; the ops that turn A's schema into B's are rendered
// and applied to A, which must then equal B, diff empty against B a
// second time, and return to its first schema when the rendered inverse
// is applied.
//
// # Which cases run
//
// Eligible decides from a case's own fields (flavor, min_version,
// max_version, offline, error) and the server's version whether the case
// is meant for our server; Skip names the features outside strata's
// schema model (triggers, functions, sequences…) that a case uses. A case
// whose DDL the server refuses is "not applicable", with the server's
// message. Everything else passes or fails at a named Stage, and Report
// groups the failures by Kind.
package conformance
