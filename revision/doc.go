// Package revision reads and writes strata's migration files and orders
// them into a graph.
//
// A revision names its parents, so revisions form a directed acyclic
// graph: branches when two revisions share a parent, merges when one has
// several. Load reads the SQL form from any fs.FS (embed.FS works); Write
// saves a new revision; NewGraph checks and links them; UpgradePlan and
// DowngradePlan turn a target ("head", "base", an id prefix, "+1", "-1")
// into the ordered revisions to run.
package revision
